import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Badge,
  Body1,
  Body1Strong,
  Button,
  Caption1,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Spinner,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { ReactElement } from 'react';
import type { PersonRow } from '../../contacts/contact';
import { answerSentence } from '../../core/answer';
import { PROBES } from '../../core/probes';
import { CLOUD_NAMES, crossCloudNote } from '../../core/cloud';
import type { Evidence } from '../../core/tenant-evidence';
import type { DomainVerdict } from '../../core/verdict';
import { directoryWords, type DirectoryFinding } from '../../share/directory-lookup';
import { lookupProblem, ROW_ANSWER_LABELS } from '../present';
import { ANSWER_BADGE } from './answer-style';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  person: { display: 'flex', flexDirection: 'column', overflowWrap: 'anywhere' },
  secondary: { color: tokens.colorNeutralForeground2 },
  records: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, margin: 0, padding: 0 },
  record: { listStyle: 'none', display: 'flex', flexDirection: 'column', gap: '2px' },
  value: { overflowWrap: 'anywhere', color: tokens.colorNeutralForeground2 },
  badge: { alignSelf: 'flex-start', whiteSpace: 'nowrap' },
  stillChecking: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  technical: {
    overflowWrap: 'anywhere',
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
  },
  surface: { maxWidth: 'min(600px, calc(100vw - 24px))' },
});

/** Each record in words a person can follow, the record's DNS name beside it for those who want it. */
const RECORD_WORDS: Record<string, string> = {
  '_sipfederationtls._tcp': 'Teams / Skype for Business federation',
  '_sip._tls': 'Skype for Business sign-in from outside',
  '_xmpp-server._tcp': 'XMPP federation',
  '_xmpps-server._tcp': 'XMPP federation (direct TLS)',
  '_xmpp-client._tcp': 'XMPP sign-in',
  '_xmpps-client._tcp': 'XMPP sign-in (direct TLS)',
  MX: 'Mail servers',
  TXT: 'Domain verification and SPF',
  autodiscover: 'Outlook setup (autodiscover)',
  'selector1._domainkey': 'Microsoft 365 mail signing (DKIM)',
  lyncdiscover: 'Teams / Skype for Business sign-in discovery',
  '_matrix-fed._tcp': 'Matrix federation',
  '_matrix._tcp': 'Matrix federation (older record)',
  '_collab-edge._tls': 'Cisco Jabber / Webex edge',
};

/** Why a domain looks like a Microsoft 365 tenant, one line per signal, for people. */
const EVIDENCE_WORDS: Record<Evidence['signal'], string> = {
  mx: 'Their mail goes to Microsoft 365',
  'sip-federation': 'Their federation goes through Microsoft 365',
  autodiscover: 'Outlook is set up for Exchange Online',
  lyncdiscover: 'Teams and Skype sign-in points at Microsoft 365',
  dkim: 'Microsoft 365 signs their mail',
  'ms-verification': 'The domain is verified in a Microsoft 365 tenant',
  spf: 'Microsoft 365 may send their mail',
  entra: "Microsoft's sign-in service knows this domain",
  'google-mx': 'Their mail goes to Google',
  'google-spf': 'Google may send their mail',
  'google-site-verification': 'The domain is verified with Google',
};

/** A record's value as a person reads it: hosts (with the port for services), or the texts that matter. */
function recordValue(
  targets: readonly { target: string; port: number }[],
  texts?: readonly string[],
): string {
  if (texts && texts.length > 0) return texts.join(' · ');
  return targets.map((t) => (t.port === 0 ? t.target : `${t.target}:${t.port}`)).join(', ');
}

const STATUS_WORD = {
  found: { text: 'Published', color: 'success' },
  none: { text: 'Not published', color: 'subtle' },
  refused: { text: 'Turned off', color: 'subtle' },
  error: { text: "Couldn't check", color: 'warning' },
} as const;

/** One person's domain: the answer in a sentence, who it is about, then what each record says. */
export function DomainDetails({
  row,
  verdict,
  finding,
  stillChecking = false,
  onClose,
}: {
  row: PersonRow | undefined;
  verdict: DomainVerdict | undefined;
  /** The domain's details are still being asked: its answer may yet change. */
  stillChecking?: boolean;
  /** What the community directory knows (when its setting is on). */
  finding?: DirectoryFinding;
  onClose: () => void;
}): ReactElement {
  const styles = useStyles();
  const open = row !== undefined;
  const title = row?.parsed.ok ? row.parsed.displayDomain : (row?.address ?? '');
  const failures = verdict
    ? PROBES.flatMap((probe) => {
        const record = verdict.records[probe.id];
        return record?.status === 'error' ? [{ probe: probe.id, error: record.error ?? '' }] : [];
      })
    : [];
  const badge = verdict ? ANSWER_BADGE[verdict.answer] : undefined;
  return (
    <Dialog open={open} onOpenChange={(_, data) => !data.open && onClose()}>
      <DialogSurface className={styles.surface} aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>{title || 'No email address'}</DialogTitle>
          {/* Focusable so that keyboard users can scroll a long record list. */}
          <DialogContent
            className={styles.section}
            tabIndex={0}
            role="region"
            aria-label={`Details of ${title || 'this contact'}`}
          >
            {row && (
              <div className={styles.person} data-testid="details-person">
                <Body1Strong>{row.name || '(no name)'}</Body1Strong>
                <Caption1 className={styles.secondary}>{row.address || 'No email address'}</Caption1>
              </div>
            )}
            {row && !row.parsed.ok && <Body1>This contact can't be checked: {row.parsed.reason}.</Body1>}
            {row?.parsed.ok && !verdict && <Body1>Still checking this domain…</Body1>}
            {verdict && badge && (
              <>
                <Badge className={styles.badge} appearance="tint" color={badge.color} icon={badge.icon}>
                  {ROW_ANSWER_LABELS[verdict.answer]}
                </Badge>
                <Body1 data-testid="details-sentence">{answerSentence(verdict)}</Body1>
                {stillChecking && (
                  <div className={styles.stillChecking} data-testid="details-still-checking">
                    <Spinner size="extra-tiny" />
                    <Caption1 className={styles.secondary}>
                      {verdict.answer === 'no'
                        ? 'Still checking whether they use Microsoft 365…'
                        : 'Still checking the other records…'}
                    </Caption1>
                  </div>
                )}
                {failures.length > 0 && <Body1>{lookupProblem(failures[0]?.error ?? '')}</Body1>}
                {finding && (
                  <Caption1 data-testid="directory-finding">
                    Community directory: {directoryWords(finding)}
                  </Caption1>
                )}
                {verdict.notes
                  // The answer's sentence above already says why a tenant in another cloud is "No".
                  .filter((note) => note !== crossCloudNote(verdict.displayDomain, verdict.microsoft365))
                  .map((note) => (
                    <Caption1 key={note}>{note}</Caption1>
                  ))}
                {verdict.microsoft365.evidence.length > 0 && (
                  <div className={styles.section} data-testid="evidence">
                    <Body1Strong>
                      Why we think they use{' '}
                      {verdict.microsoft365.cloud ? CLOUD_NAMES[verdict.microsoft365.cloud] : 'Microsoft 365'}
                    </Body1Strong>
                    <ul className={styles.records}>
                      {verdict.microsoft365.evidence.map((e) => (
                        <li key={`${e.signal} ${e.value}`} className={styles.record}>
                          <Body1>{EVIDENCE_WORDS[e.signal]}</Body1>
                          <Caption1 className={styles.value}>
                            {e.record === 'entra-id' ? 'Tenant ID' : e.record}: {e.value}
                          </Caption1>
                        </li>
                      ))}
                    </ul>
                    {verdict.microsoft365.tenantDomain && (
                      <Caption1 className={styles.secondary}>
                        Their tenant: {verdict.microsoft365.tenantDomain}
                      </Caption1>
                    )}
                  </div>
                )}
                {verdict.matrix.federation === true && (
                  <Caption1 data-testid="matrix">
                    Also on Matrix{verdict.matrix.server ? ` (${verdict.matrix.server})` : ''}: a different
                    network from Teams and XMPP, reached from a Matrix app.
                  </Caption1>
                )}
                {verdict.cisco.edge === true && (
                  <Caption1 data-testid="cisco">They run Cisco Jabber or Webex with an edge server.</Caption1>
                )}
                <Accordion collapsible multiple defaultOpenItems={['records']}>
                  <AccordionItem value="records">
                    <AccordionHeader size="small">What the DNS records say</AccordionHeader>
                    <AccordionPanel>
                      <ul className={styles.records} data-testid="facts">
                        {PROBES.filter((probe) => verdict.records[probe.id]).map((probe) => {
                          const record = verdict.records[probe.id]!;
                          const status = STATUS_WORD[record.status];
                          return (
                            <li key={probe.id} className={styles.record}>
                              <Body1Strong>{RECORD_WORDS[probe.id] ?? probe.id}</Body1Strong>
                              <Badge
                                className={styles.badge}
                                size="small"
                                appearance="tint"
                                color={status.color}
                              >
                                {status.text}
                              </Badge>
                              {(record.targets.length > 0 || (record.texts?.length ?? 0) > 0) && (
                                <Caption1 className={styles.value}>
                                  {recordValue(record.targets, record.texts)}
                                </Caption1>
                              )}
                              <Caption1 className={styles.value}>{probe.id}</Caption1>
                            </li>
                          );
                        })}
                      </ul>
                    </AccordionPanel>
                  </AccordionItem>
                  {failures.length > 0 && (
                    <AccordionItem value="technical">
                      <AccordionHeader size="small">Technical details</AccordionHeader>
                      <AccordionPanel>
                        {failures.map((failure) => (
                          <Caption1 key={failure.probe} as="p" className={styles.technical}>
                            {failure.probe}: {failure.error}
                          </Caption1>
                        ))}
                      </AccordionPanel>
                    </AccordionItem>
                  )}
                </Accordion>
                <Caption1 className={styles.secondary}>
                  DNS shows what a domain publishes, not whether its administrators allow you.
                </Caption1>
              </>
            )}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onClose}>
              Close
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
