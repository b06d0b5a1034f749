import {
  Button,
  Caption1,
  Link,
  Subtitle2,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import type { ReactElement } from 'react';
import { ANSWERS, ANSWER_LABELS, type Answer } from '../../core/answer';
import type { Filter } from '../filters';
import { count } from '../present';
import { ANSWER_FILL } from './answer-style';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  headline: { margin: 0 },
  // The headline reads as a headline and works as a button: same type, same line, underlined (and in
  // the brand colour) when hovered or pressed, an outline for the keyboard.
  headlineButton: {
    display: 'inline',
    padding: 0,
    margin: 0,
    border: 'none',
    borderRadius: tokens.borderRadiusSmall,
    backgroundColor: 'transparent',
    color: tokens.colorNeutralForeground1,
    font: 'inherit',
    cursor: 'pointer',
    textDecorationLine: 'underline',
    textDecorationStyle: 'dotted',
    textDecorationColor: tokens.colorNeutralStroke1,
    textUnderlineOffset: '3px',
    ':hover': { color: tokens.colorBrandForeground1, textDecorationStyle: 'solid' },
    // Fluent's own outline, by hand: createFocusOutlineStyle() pulls Griffel's shorthands (2 kB gzip)
    // into the first screen.
    ':focus-visible': {
      outlineWidth: tokens.strokeWidthThick,
      outlineStyle: 'solid',
      outlineColor: tokens.colorStrokeFocus2,
      outlineOffset: '2px',
    },
  },
  headlinePressed: {
    color: tokens.colorBrandForeground1,
    textDecorationStyle: 'solid',
    textDecorationColor: tokens.colorBrandForeground1,
  },
  bar: {
    display: 'flex',
    height: '8px',
    borderRadius: tokens.borderRadiusCircular,
    overflow: 'hidden',
    backgroundColor: tokens.colorNeutralBackground5,
  },
  legend: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXXS },
  chip: { minWidth: 0, paddingLeft: tokens.spacingHorizontalXS, paddingRight: tokens.spacingHorizontalXS },
  dot: { width: '8px', height: '8px', borderRadius: '50%', flexShrink: 0 },
  detail: { color: tokens.colorNeutralForeground2 },
  likely: { color: tokens.colorNeutralForeground2, whiteSpace: 'nowrap' },
});

/** The legend's labels: short, so five fit on two lines of a 350-px pane. */
const LEGEND_LABELS: Record<Answer, string> = { ...ANSWER_LABELS, depends: 'Depends' };

/**
 * The answer at a glance: "7 of 11 can federate · 1 likely via Teams" (a button: everyone who can
 * federate, Yes and Likely via Teams, ready to export), a bar of every answer in its colour, and a
 * legend whose entries filter the list (pressed again: everyone).
 */
export function SummaryCard({
  counts,
  source,
  filter,
  onFilter,
}: {
  counts: Record<Filter, number>;
  source: string;
  filter: Filter;
  onFilter: (filter: Filter) => void;
}): ReactElement {
  const styles = useStyles();
  const answered = ANSWERS.reduce((sum, answer) => sum + counts[answer], 0);
  const reachable = counts.yes + counts.likely;
  const toggle = (next: Filter): void => onFilter(filter === next ? 'all' : next);
  const mostlyUnknown = answered > 0 && counts.unknown > answered / 2;
  return (
    <section className={styles.root} aria-label="Summary">
      <Subtitle2 as="h2" className={styles.headline} data-testid="summary">
        {mostlyUnknown || reachable === 0 ? (
          mostlyUnknown ? (
            `Couldn't check ${count(counts.unknown)} of ${count(counts.all)}`
          ) : (
            `${count(reachable)} of ${count(counts.all)} can federate`
          )
        ) : (
          <button
            type="button"
            className={mergeClasses(styles.headlineButton, filter === 'reachable' && styles.headlinePressed)}
            aria-pressed={filter === 'reachable'}
            onClick={() => toggle('reachable')}
            title={`Show only the ${count(reachable)} who can federate (Yes and Likely via Teams)`}
            data-testid="filter-reachable"
          >
            {`${count(reachable)} of ${count(counts.all)} can federate`}
          </button>
        )}
        {counts.likely > 0 && !mostlyUnknown && (
          <>
            {' '}
            <Caption1 className={styles.likely}>· {count(counts.likely)} likely via Teams</Caption1>
          </>
        )}
      </Subtitle2>
      {answered > 0 && (
        <div className={styles.bar} aria-hidden="true" data-testid="summary-bar">
          {ANSWERS.filter((a) => counts[a] > 0).map((answer) => (
            <div
              key={answer}
              style={{ flexGrow: counts[answer], backgroundColor: ANSWER_FILL[answer] }}
              title={`${ANSWER_LABELS[answer]}: ${count(counts[answer])}`}
            />
          ))}
        </div>
      )}
      <div className={styles.legend} role="group" aria-label="Show only">
        {ANSWERS.filter((a) => counts[a] > 0).map((answer: Answer) => (
          <Button
            key={answer}
            className={styles.chip}
            size="small"
            appearance={filter === answer ? 'primary' : 'subtle'}
            aria-pressed={filter === answer}
            icon={<span className={styles.dot} style={{ backgroundColor: ANSWER_FILL[answer] }} />}
            onClick={() => toggle(answer)}
            data-testid={`filter-${answer}`}
            title={`Show only “${ANSWER_LABELS[answer]}”`}
          >
            {LEGEND_LABELS[answer]} {count(counts[answer])}
          </Button>
        ))}
      </div>
      <Caption1 className={styles.detail} data-testid="summary-detail">
        From {source}
        {counts.lync > 0 && (
          <>
            {' · '}
            <Link as="button" onClick={() => toggle('lync')} data-testid="filter-lync">
              {count(counts.lync)} over Teams / Skype
            </Link>
          </>
        )}
        {counts.xmpp > 0 && (
          <>
            {' · '}
            <Link as="button" onClick={() => toggle('xmpp')} data-testid="filter-xmpp">
              {count(counts.xmpp)} over XMPP
            </Link>
          </>
        )}
      </Caption1>
    </section>
  );
}
