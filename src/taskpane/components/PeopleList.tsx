import {
  Badge,
  Body1Strong,
  Caption1,
  List,
  ListItem,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { useTabsterAttributes } from '@fluentui/react-tabster';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  forwardRef,
  useCallback,
  useImperativeHandle,
  useId,
  useRef,
  useEffect,
  type KeyboardEvent,
  type ReactElement,
} from 'react';
import type { PersonRow } from '../../contacts/contact';
import type { DomainVerdict } from '../../core/verdict';
import { directoryWords, type DirectoryFinding } from '../../share/directory-lookup';
import {
  answerFor,
  howWords,
  initials,
  NO_MARK_HINTS,
  NO_MARK_WORDS,
  type NoMark,
  ROW_ANSWER_HINTS,
  ROW_ANSWER_LABELS,
  rowNote,
} from '../present';
import { ANSWER_BADGE, NO_SO_FAR_ICON } from './answer-style';
import { VISUALLY_HIDDEN } from './visually-hidden';

const ROW_HEIGHT = 64;

const useStyles = makeStyles({
  // The pane's one scroll container: it takes whatever height the pane has left.
  scroller: { flexGrow: 1, minHeight: '120px', overflowY: 'auto', position: 'relative' },
  inner: { position: 'relative', width: '100%' },
  row: {
    position: 'absolute',
    left: 0,
    width: '100%',
    boxSizing: 'border-box',
    height: `${ROW_HEIGHT}px`,
    padding: `0 ${tokens.spacingHorizontalM}`,
    display: 'grid',
    gridTemplateColumns: 'auto minmax(0, 1fr) auto',
    gridTemplateRows: 'auto auto',
    columnGap: tokens.spacingHorizontalS,
    alignContent: 'center',
    alignItems: 'center',
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
  // Initials in a circle, as Fluent's Avatar draws them, without its weight on the first screen.
  avatar: {
    gridRow: '1 / span 2',
    width: '32px',
    height: '32px',
    borderRadius: '50%',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    fontSize: tokens.fontSizeBase200,
    fontWeight: tokens.fontWeightSemibold,
    backgroundColor: tokens.colorBrandBackground2,
    color: tokens.colorBrandForeground2,
  },
  line: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', minWidth: 0 },
  secondary: { color: tokens.colorNeutralForeground2 },
  answer: { whiteSpace: 'nowrap', justifySelf: 'end' },
  second: { gridColumn: '2 / span 2' },
  // Read by screen readers between the name and the answer; takes no place in the grid.
  visuallyHidden: VISUALLY_HIDDEN,
  empty: { padding: tokens.spacingHorizontalM },
});

/** The domain part of an address as written, to show the Unicode form only where it differs. */
function addressDomain(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/** What the pane can ask of the list: to put the keyboard back on a row (after its dialog closes). */
export interface PeopleListHandle {
  focusRow(index: number): void;
}

/**
 * Every person with their answer, on Fluent's List (navigation mode "items": the list is one Tab stop,
 * ↑/↓ move between rows, Enter or a click opens a row's details), virtualised so 10,000 rows scroll
 * smoothly: only the rows in view are in the page. Fluent's focus manager (Tabster) moves between the
 * rows that are in the page, which is right for ↑/↓ (the next row is always rendered: overscan);
 * Home, End, Page Up and Page Down must reach rows that are not, so the list takes those keys itself
 * and scrolls the row in before focusing it.
 */
export const PeopleList = forwardRef<
  PeopleListHandle,
  {
    rows: readonly PersonRow[];
    verdicts: ReadonlyMap<string, DomainVerdict>;
    /** What the community directory knows, when its setting is on. */
    directory?: ReadonlyMap<string, DirectoryFinding>;
    checking: boolean;
    /** Domains whose details are still coming: a "No" among them may yet become "Likely via Teams". */
    stillChecking?: ReadonlySet<string>;
    /** After a stopped check, domains whose "No" is not final (their Microsoft 365 evidence never came). */
    unfinished?: ReadonlySet<string>;
    onOpen: (row: PersonRow, index: number) => void;
    /** Told the domains of the rows on screen as they change, so their details can be asked first. */
    onVisibleDomains?: (domains: string[]) => void;
  }
>(function PeopleList(
  { rows, verdicts, directory, checking, stillChecking, unfinished, onOpen, onVisibleDomains },
  ref,
): ReactElement {
  const styles = useStyles();
  const scroller = useRef<HTMLDivElement>(null);
  const idBase = useId();
  // Tabster leaves these keys to onKeyDown below (Enter stays the ListItem's own: it opens the row).
  const virtualKeys = useTabsterAttributes({
    focusable: { ignoreKeydown: { Enter: true, Home: true, End: true, PageUp: true, PageDown: true } },
  });
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
      const attempt = (tries: number): void => {
        const rendered = find();
        if (rendered) rendered.focus();
        else if (tries > 0) requestAnimationFrame(() => attempt(tries - 1));
      };
      attempt(10);
    },
    [rows.length, virtualizer],
  );
  useImperativeHandle(ref, () => ({ focusRow }), [focusRow]);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>): void => {
    const index = Number((event.target as HTMLElement).dataset.index);
    if (Number.isNaN(index)) return;
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { PageDown: page, PageUp: -page };
    if (event.key in moves) focusRow(index + (moves[event.key] ?? 0));
    else if (event.key === 'Home') focusRow(0);
    else if (event.key === 'End') focusRow(rows.length - 1);
    else return;
    event.preventDefault();
  };

  const items = virtualizer.getVirtualItems();
  const firstShown = items[0]?.index ?? 0;
  const lastShown = items[items.length - 1]?.index ?? -1;
  useEffect(() => {
    if (!checking || !onVisibleDomains || lastShown < 0) return;
    const domains = new Set<string>();
    for (let index = firstShown; index <= lastShown; index += 1) {
      const parsed = rows[index]?.parsed;
      if (parsed?.ok) domains.add(parsed.domain);
    }
    onVisibleDomains([...domains]);
  }, [checking, firstShown, lastShown, rows, onVisibleDomains]);

  if (rows.length === 0) return <Body1Strong className={styles.empty}>Nobody matches.</Body1Strong>;
  return (
    <div ref={scroller} className={styles.scroller} data-testid="people">
      <List
        navigationMode="items"
        className={styles.inner}
        style={{ height: `${virtualizer.getTotalSize()}px` }}
        aria-label={`People (${rows.length.toLocaleString()})`}
        onKeyDown={onKeyDown}
      >
        {items.map((item) => {
          const row = rows[item.index] as PersonRow;
          const verdict = row.parsed.ok ? verdicts.get(row.parsed.domain) : undefined;
          const answer = answerFor(row, verdict, checking);
          const finding = row.parsed.ok ? directory?.get(row.parsed.domain) : undefined;
          const domain = row.parsed.ok ? row.parsed.displayDomain : '';
          const address = `${row.address || 'No email address'}${
            domain && domain !== addressDomain(row.address) ? ` (${domain})` : ''
          }`;
          // The second line: how it federates, the directory's finding, then the caveat, as space allows.
          const parts = [
            { id: 'how', text: [...howWords(verdict), rowNote(row, verdict)].filter(Boolean).join(' · ') },
            { id: 'directory', text: finding ? directoryWords(finding) : '' },
          ].filter((part) => part.text !== '');
          const second = parts.map((part) => part.text).join(' · ');
          const badge = ANSWER_BADGE[answer];
          // A "No" shown while the Microsoft 365 evidence is still asked says so (an hourglass, not a
          // spinner: four spinners in view cost a software-rendered pane 17 % of a core, taken from the lookups).
          // After a stopped check the same mark stays on the "No" answers that were not finished.
          const key = row.parsed.ok ? row.parsed.domain : undefined;
          let noMark: NoMark | undefined;
          if (answer === 'no' && key !== undefined) {
            if (stillChecking?.has(key)) noMark = 'checking';
            else if (unfinished?.has(key)) noMark = 'stopped';
          }
          return (
            <ListItem
              key={row.key}
              value={row.key}
              {...virtualKeys}
              className={styles.row}
              style={{ top: `${item.start}px` }}
              aria-setsize={rows.length}
              aria-posinset={item.index + 1}
              data-index={item.index}
              // Named by its own content (person, answer, address, how), as the button it replaces was:
              // a list item is not named from its content unless it points at itself.
              id={`${idBase}-${item.index}`}
              aria-labelledby={`${idBase}-${item.index}`}
              data-testid="person"
              data-answer={answer}
              onAction={() => onOpen(row, item.index)}
            >
              <span className={styles.avatar} aria-hidden="true">
                {initials(row.name, row.address) || '?'}
              </span>
              <Body1Strong className={styles.line} title={row.name || undefined}>
                {row.name || row.address || '(no name)'}
                <span className={styles.visuallyHidden}>, answer:</span>
              </Body1Strong>
              <Badge
                className={styles.answer}
                appearance="tint"
                color={badge.color}
                icon={noMark ? NO_SO_FAR_ICON : badge.icon}
                title={noMark ? NO_MARK_HINTS[noMark] : ROW_ANSWER_HINTS[answer]}
                data-testid="answer"
                data-still-checking={noMark === 'checking' || undefined}
                data-unfinished={noMark === 'stopped' || undefined}
              >
                {ROW_ANSWER_LABELS[answer]}
                {noMark && <span className={styles.visuallyHidden}>{NO_MARK_WORDS[noMark]}</span>}
              </Badge>
              <Caption1
                className={mergeClasses(styles.line, styles.secondary, styles.second)}
                title={second ? `${address}\n${second}` : address}
              >
                <span data-testid="address">{address}</span>
                {parts.map((part) => (
                  <span key={part.id}>
                    {' · '}
                    <span data-testid={part.id}>{part.text}</span>
                  </span>
                ))}
              </Caption1>
            </ListItem>
          );
        })}
      </List>
    </div>
  );
});
