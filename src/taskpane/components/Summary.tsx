import { Body1, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactElement } from 'react';
import { count } from '../present';
import type { Filter } from '../filters';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
});

/** "12 of 40 from your contacts can federate — 10 over Lync/Teams, 3 over XMPP; 2 unknown." */
export function Summary({
  counts,
  source,
}: {
  counts: Record<Filter, number>;
  source: string;
}): ReactElement {
  const styles = useStyles();
  return (
    <section className={styles.root} aria-label="Summary">
      <Subtitle2 as="h2" data-testid="summary">
        {count(counts.federate)} of {count(counts.all)} from {source} can federate
      </Subtitle2>
      <Body1 data-testid="summary-detail">
        {count(counts.lync)} over Lync/Teams · {count(counts.xmpp)} over XMPP
        {counts.unknown > 0 ? ` · ${count(counts.unknown)} unknown (a lookup failed)` : ''}
      </Body1>
    </section>
  );
}
