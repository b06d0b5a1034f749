import { Badge, Body1Strong, Caption1, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useRef, type KeyboardEvent, type ReactElement } from 'react';
import type { PersonRow } from '../../contacts/contact';
import type { DomainVerdict } from '../../core/verdict';
import { directoryWords, type DirectoryFinding } from '../../share/directory-lookup';
import { answerFor, howBadges, rowNote, type Answer } from '../present';

const ROW_HEIGHT = 76;

const useStyles = makeStyles({
  scroller: {
    height: 'min(70vh, 640px)',
    minHeight: '200px',
    overflowY: 'auto',
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  inner: { position: 'relative', width: '100%' },
  row: {
    position: 'absolute',
    left: 0,
    width: '100%',
    boxSizing: 'border-box',
    height: `${ROW_HEIGHT}px`,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    display: 'grid',
    gridTemplateColumns: '1fr auto',
    columnGap: tokens.spacingHorizontalS,
    alignContent: 'center',
    textAlign: 'start',
    border: 'none',
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    background: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    cursor: 'pointer',
    font: 'inherit',
    ':hover': { background: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  },
  line: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', minWidth: 0 },
  secondary: { color: tokens.colorNeutralForeground2 },
  badges: {
    display: 'flex',
    gap: tokens.spacingHorizontalXXS,
    overflow: 'hidden',
    gridColumn: '1 / span 2',
    minWidth: 0,
  },
  // The badges keep their size; a note or the directory's finding beside them gives way (ellipsis).
  how: { display: 'flex', gap: tokens.spacingHorizontalXXS, flexShrink: 0 },
  answer: { whiteSpace: 'nowrap', justifySelf: 'end' },
  wide: { gridColumn: '1 / span 2' },
  // Read by screen readers between the name and the answer; takes no place in the grid.
  visuallyHidden: {
    position: 'absolute',
    width: '1px',
    height: '1px',
    margin: '-1px',
    overflow: 'hidden',
    clipPath: 'inset(50%)',
    whiteSpace: 'nowrap',
  },
  empty: { padding: tokens.spacingHorizontalM },
});

const ANSWER_COLOR: Record<Answer, 'success' | 'danger' | 'warning' | 'informative' | 'subtle'> = {
  yes: 'success',
  no: 'danger',
  unknown: 'warning',
  checking: 'informative',
  'not checked': 'subtle',
};

/** The domain part of an address as written, to show the Unicode form only where it differs. */
function addressDomain(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/**
 * Every person with their answer, virtualised so 10,000 rows scroll smoothly: only the rows in view
 * are in the page. Each row is a button (named by its content: person, answer, address, how) that
 * opens its domain's details; ↑/↓, Page Up/Down, Home and End move between rows.
 */
export function PeopleList({
  rows,
  verdicts,
  directory,
  checking,
  onOpen,
}: {
  rows: readonly PersonRow[];
  verdicts: ReadonlyMap<string, DomainVerdict>;
  /** What the community directory knows, when its setting is on. */
  directory?: ReadonlyMap<string, DirectoryFinding>;
  checking: boolean;
  onOpen: (row: PersonRow) => void;
}): ReactElement {
  const styles = useStyles();
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });

  const focusRow = useCallback(
    (index: number) => {
      const target = Math.max(0, Math.min(rows.length - 1, index));
      virtualizer.scrollToIndex(target, { align: 'auto' });
      const find = (): HTMLElement | null | undefined =>
        scroller.current?.querySelector<HTMLElement>(`[data-index="${target}"]`);
      // Usually the row is already rendered (overscan); if not, it is after the next frames.
      const element = find();
      if (element) {
        element.focus();
        return;
      }
      const attempt = (tries: number): void => {
        const rendered = find();
        if (rendered) rendered.focus();
        else if (tries > 0) requestAnimationFrame(() => attempt(tries - 1));
      };
      requestAnimationFrame(() => attempt(10));
    },
    [rows.length, virtualizer],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const index = Number((event.target as HTMLElement).dataset.index);
    if (Number.isNaN(index)) return;
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (event.key in moves) focusRow(index + (moves[event.key] ?? 0));
    else if (event.key === 'Home') focusRow(0);
    else if (event.key === 'End') focusRow(rows.length - 1);
    else return;
    event.preventDefault();
  };

  if (rows.length === 0) return <Body1Strong className={styles.empty}>Nobody matches.</Body1Strong>;
  return (
    <div
      ref={scroller}
      className={styles.scroller}
      role="list"
      aria-label={`People (${rows.length.toLocaleString()})`}
      data-testid="people"
      onKeyDown={onKeyDown}
    >
      <div className={styles.inner} style={{ height: `${virtualizer.getTotalSize()}px` }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index] as PersonRow;
          const verdict = row.parsed.ok ? verdicts.get(row.parsed.domain) : undefined;
          const answer = answerFor(row, verdict, checking);
          const badges = howBadges(verdict);
          const note = rowNote(row, verdict);
          const finding = row.parsed.ok ? directory?.get(row.parsed.domain) : undefined;
          const domain = row.parsed.ok ? row.parsed.displayDomain : '';
          return (
            <div key={row.key} role="listitem" aria-setsize={rows.length} aria-posinset={item.index + 1}>
              <button
                type="button"
                className={styles.row}
                style={{ top: `${item.start}px` }}
                data-index={item.index}
                data-testid="person"
                data-answer={answer}
                onClick={() => onOpen(row)}
              >
                <Body1Strong className={styles.line}>
                  {row.name || '(no name)'}
                  <span className={styles.visuallyHidden}>, can federate:</span>
                </Body1Strong>
                <Badge
                  className={styles.answer}
                  appearance="tint"
                  color={ANSWER_COLOR[answer]}
                  data-testid="answer"
                >
                  {answer}
                </Badge>
                <Caption1
                  className={mergeClasses(styles.line, styles.secondary, styles.wide)}
                  data-testid="address"
                >
                  {row.address || 'no email address'}
                  {domain && domain !== addressDomain(row.address) ? ` (${domain})` : ''}
                </Caption1>
                <div className={styles.badges}>
                  <span className={styles.how} data-testid="how">
                    {badges.map((badge) => (
                      <Badge key={badge} size="small" appearance="outline" color="brand">
                        {badge}
                      </Badge>
                    ))}
                  </span>
                  {finding && (
                    <Caption1 className={mergeClasses(styles.line, styles.secondary)} data-testid="directory">
                      {directoryWords(finding)}
                    </Caption1>
                  )}
                  {note && row.address !== '' && (
                    <Caption1 className={mergeClasses(styles.line, styles.secondary)} data-testid="note">
                      {note}
                    </Caption1>
                  )}
                </div>
              </button>
            </div>
          );
        })}
      </div>
    </div>
  );
}
