import {
  Badge,
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
import type { DomainVerdict } from '../../core/verdict';
import { answerFor, howBadges, rowNote, type Answer } from '../present';

const useStyles = makeStyles({
  table: { tableLayout: 'auto' },
  badges: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXXS },
  address: { wordBreak: 'break-all' },
  answer: { whiteSpace: 'nowrap' },
  note: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

const ANSWER_COLOR: Record<Answer, 'success' | 'danger' | 'warning' | 'informative' | 'subtle'> = {
  yes: 'success',
  no: 'danger',
  unknown: 'warning',
  checking: 'informative',
  'not checked': 'subtle',
};

/** Every person with their answer; rows fill in as their domains' verdicts arrive. */
export function ResultsList({
  rows,
  verdicts,
  checking,
}: {
  rows: readonly PersonRow[];
  verdicts: ReadonlyMap<string, DomainVerdict>;
  checking: boolean;
}): ReactElement {
  const styles = useStyles();
  return (
    <Table
      className={styles.table}
      size="small"
      aria-label="People and whether they can federate"
      data-testid="results"
    >
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Person</TableHeaderCell>
          <TableHeaderCell>Can federate</TableHeaderCell>
          <TableHeaderCell>How</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => {
          const verdict = row.parsed.ok ? verdicts.get(row.parsed.domain) : undefined;
          const answer = answerFor(row, verdict, checking);
          const note = rowNote(row, verdict);
          return (
            <TableRow key={row.key} data-testid="person" data-answer={answer}>
              <TableCell>
                <div>{row.name || '(no name)'}</div>
                <div className={styles.address}>{row.address || '—'}</div>
                {row.parsed.ok && <div className={styles.note}>{row.parsed.displayDomain}</div>}
              </TableCell>
              <TableCell>
                <Badge
                  className={styles.answer}
                  appearance="tint"
                  color={ANSWER_COLOR[answer]}
                  data-testid="answer"
                >
                  {answer}
                </Badge>
              </TableCell>
              <TableCell>
                <div className={styles.badges} data-testid="how">
                  {howBadges(verdict).map((badge) => (
                    <Badge key={badge} appearance="outline" color="brand">
                      {badge}
                    </Badge>
                  ))}
                </div>
                {note && <div className={styles.note}>{note}</div>}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
