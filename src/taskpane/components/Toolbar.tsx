import { Button, Checkbox, SearchBox, Tab, TabList, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactElement } from 'react';
import { FILTERS, FILTER_LABELS, type Filter } from '../filters';
import { count } from '../present';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  tabs: { flexWrap: 'wrap' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
});

/** Filters with their counts, search, export and re-check actions, in keyboard order. */
export function Toolbar(props: {
  filter: Filter;
  counts: Record<Filter, number>;
  onFilter: (filter: Filter) => void;
  query: string;
  onQuery: (query: string) => void;
  everyone: boolean;
  onEveryone: (everyone: boolean) => void;
  onExport: () => void;
  busy: boolean;
  onRetryUnknown: () => void;
  onRefresh: () => void;
}): ReactElement {
  const styles = useStyles();
  return (
    <section className={styles.root} aria-label="Filter and export">
      <TabList
        className={styles.tabs}
        size="small"
        selectedValue={props.filter}
        onTabSelect={(_, data) => props.onFilter(data.value as Filter)}
        aria-label="Show"
      >
        {FILTERS.map((filter) => (
          <Tab key={filter} value={filter} data-testid={`filter-${filter}`}>
            {FILTER_LABELS[filter]} ({count(props.counts[filter])})
          </Tab>
        ))}
      </TabList>
      <SearchBox
        placeholder="Search name, address or domain"
        aria-label="Search people"
        value={props.query}
        onChange={(_, data) => props.onQuery(data.value)}
      />
      <div className={styles.actions}>
        <Button appearance="primary" onClick={props.onExport} disabled={props.busy}>
          Export CSV
        </Button>
        <Checkbox
          label="Include everyone"
          checked={props.everyone}
          onChange={(_, data) => props.onEveryone(data.checked === true)}
        />
        {props.counts.unknown > 0 && (
          <Button onClick={props.onRetryUnknown} disabled={props.busy}>
            Retry unknown
          </Button>
        )}
        <Button onClick={props.onRefresh} disabled={props.busy} title="Check again, ignoring cached answers">
          Refresh
        </Button>
      </div>
    </section>
  );
}
