import {
  Badge,
  Body1,
  Button,
  Caption1,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { ReactElement } from 'react';
import type { PersonRow } from '../../contacts/contact';
import { PROBES } from '../../core/probes';
import { triStateWord, type DomainVerdict } from '../../core/verdict';
import { directoryWords, type DirectoryFinding } from '../../share/directory-lookup';

const useStyles = makeStyles({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXXS,
    margin: 0,
  },
  term: { fontWeight: tokens.fontWeightSemibold },
  targets: { wordBreak: 'break-all' },
  meaning: { color: tokens.colorNeutralForeground3 },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

const STATUS_COLOR = { found: 'success', none: 'subtle', refused: 'danger', error: 'warning' } as const;
const STATUS_WORD = {
  found: 'found',
  none: 'none',
  refused: 'refused (“.”)',
  error: 'lookup failed',
} as const;

/** One domain's records, their targets and what they mean, for the person a row belongs to. */
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
  return (
    <Dialog open={open} onOpenChange={(_, data) => !data.open && onClose()}>
      <DialogSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>{title || 'No address'}</DialogTitle>
          {/* Focusable so that keyboard users can scroll a long record list. */}
          <DialogContent
            className={styles.section}
            tabIndex={0}
            role="region"
            aria-label={`Details of ${title || 'this contact'}`}
          >
            {row && !row.parsed.ok && <Body1>{row.parsed.reason}: there is no domain to check.</Body1>}
            {row?.parsed.ok && !verdict && <Body1>Still checking this domain…</Body1>}
            {verdict && (
              <>
                <dl className={styles.facts} data-testid="facts">
                  <dt className={styles.term}>Can federate</dt>
                  <dd>{triStateWord(verdict.canFederate)}</dd>
                  <dt className={styles.term}>Lync/Teams federation</dt>
                  <dd>
                    {triStateWord(verdict.lync.federation)}
                    {verdict.lync.hosting === 'microsoft-365' && ' — Microsoft 365'}
                    {verdict.lync.hosting === 'on-premises' && ' — on-premises edge'}
                  </dd>
                  <dt className={styles.term}>XMPP federation</dt>
                  <dd>{triStateWord(verdict.xmpp.federation)}</dd>
                  <dt className={styles.term}>XMPP client access</dt>
                  <dd>{triStateWord(verdict.xmpp.clientAccess)}</dd>
                  <dt className={styles.term}>Microsoft 365 tenant</dt>
                  <dd>
                    {triStateWord(verdict.microsoft365.tenant)}
                    {verdict.microsoft365.teamsLikely &&
                      ' — Teams (likely): tenants in the same cloud federate by default'}
                  </dd>
                  {finding && (
                    <>
                      <dt className={styles.term}>Community directory</dt>
                      <dd data-testid="directory-finding">{directoryWords(finding)}</dd>
                    </>
                  )}
                  {verdict.consumer && (
                    <>
                      <dt className={styles.term}>Consumer mail provider</dt>
                      <dd>yes — federation depends on each person’s own account</dd>
                    </>
                  )}
                </dl>
                {verdict.notes.map((note) => (
                  <Caption1 key={note}>{note}</Caption1>
                ))}
                <Table size="extra-small" aria-label={`DNS records of ${verdict.displayDomain}`}>
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>Record</TableHeaderCell>
                      <TableHeaderCell>Status</TableHeaderCell>
                      <TableHeaderCell>Targets</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {PROBES.filter((probe) => verdict.records[probe.id]).map((probe) => {
                      const record = verdict.records[probe.id]!;
                      return (
                        <TableRow key={probe.id}>
                          <TableCell>
                            <div>{probe.id}</div>
                            <Caption1 className={styles.meaning}>{probe.meaning}</Caption1>
                          </TableCell>
                          <TableCell>
                            <Badge appearance="tint" color={STATUS_COLOR[record.status]}>
                              {STATUS_WORD[record.status]}
                            </Badge>
                          </TableCell>
                          <TableCell className={styles.targets}>
                            {record.targets
                              .map(
                                (t) => `${t.target}:${t.port} (priority ${t.priority}, weight ${t.weight})`,
                              )
                              .join(', ') ||
                              record.error ||
                              '—'}
                          </TableCell>
                        </TableRow>
                      );
                    })}
                  </TableBody>
                </Table>
                <Caption1>
                  DNS shows what a domain publishes, not its administrators’ allow and block lists.
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
