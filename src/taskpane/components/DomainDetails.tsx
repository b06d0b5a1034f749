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
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { ReactElement } from 'react';
import type { PersonRow } from '../../contacts/contact';
import { answerSentence } from '../../core/answer';
import { PROBES } from '../../core/probes';
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
};

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
  onClose,
}: {
  row: PersonRow | undefined;
  verdict: DomainVerdict | undefined;
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
                {failures.length > 0 && <Body1>{lookupProblem(failures[0]?.error ?? '')}</Body1>}
                {finding && (
                  <Caption1 data-testid="directory-finding">
                    Community directory: {directoryWords(finding)}
                  </Caption1>
                )}
                {verdict.notes.map((note) => (
                  <Caption1 key={note}>{note}</Caption1>
                ))}
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
                              {record.targets.length > 0 && (
                                <Caption1 className={styles.value}>
                                  {record.targets.map((t) => `${t.target}:${t.port}`).join(', ')}
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
