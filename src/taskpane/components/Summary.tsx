import { Body1, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactElement } from 'react';
import type { PersonRow } from '../../contacts/contact';
import type { DomainVerdict } from '../../core/verdict';
import { count } from '../present';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
});

/** "12 of 40 people can federate: 10 over Lync/Teams, 3 over XMPP; 2 unknown." */
export function Summary({
  rows,
  verdicts,
  source,
}: {
  rows: readonly PersonRow[];
  verdicts: ReadonlyMap<string, DomainVerdict>;
  source: string;
}): ReactElement {
  const styles = useStyles();
  let yes = 0;
  let lync = 0;
  let xmpp = 0;
  let unknown = 0;
  let noAddress = 0;
  for (const row of rows) {
    if (!row.parsed.ok) {
      noAddress += 1;
      continue;
    }
    const verdict = verdicts.get(row.parsed.domain);
    if (!verdict) continue;
    if (verdict.canFederate === true) yes += 1;
    if (verdict.canFederate === null) unknown += 1;
    if (verdict.lync.federation === true) lync += 1;
    if (verdict.xmpp.federation === true) xmpp += 1;
  }
  return (
    <section className={styles.root} aria-label="Summary">
      <Subtitle2 as="h2" data-testid="summary">
        {count(yes)} of {count(rows.length)} {rows.length === 1 ? 'person' : 'people'} from {source} can
        federate
      </Subtitle2>
      <Body1>
        {count(lync)} over Lync/Teams, {count(xmpp)} over XMPP
        {unknown > 0 ? `; ${count(unknown)} unknown (a lookup failed)` : ''}
        {noAddress > 0 ? `; ${count(noAddress)} without a usable address` : ''}.
      </Body1>
    </section>
  );
}
