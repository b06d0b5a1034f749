import {
  Button,
  Menu,
  MenuDivider,
  MenuGroup,
  MenuGroupHeader,
  MenuItem,
  MenuItemRadio,
  MenuList,
  MenuPopover,
  MenuTrigger,
  SearchBox,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowDownload20Regular, MoreHorizontal20Regular } from '@fluentui/react-icons';
import type { ReactElement } from 'react';
import { FILTER_NOUNS, SORT_LABELS, type SortKey } from '../filters';
import { count } from '../present';

const useStyles = makeStyles({
  // One line; where a longer export label ("Export 14 who can federate") does not fit beside the
  // search, export and the menu go to a line of their own instead of squeezing the search.
  root: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalXS,
    rowGap: tokens.spacingVerticalXS,
    alignItems: 'center',
  },
  search: { flex: '1 1 100px', minWidth: '100px' },
  /** Export and the menu stay together, whichever line they are on. */
  actions: {
    display: 'flex',
    flexShrink: 0,
    gap: tokens.spacingHorizontalXS,
    alignItems: 'center',
    marginLeft: 'auto',
  },
  export: { whiteSpace: 'nowrap', flexShrink: 0, minWidth: 'auto' },
});

/** Search, export of what is in view, and a menu for the rest (sort, retry, refresh), on one line where they fit. */
export function Toolbar(props: {
  query: string;
  onQuery: (query: string) => void;
  /** How many people the export would write, and what they are ("XMPP contacts"). */
  exportCount: number;
  exportNoun: string;
  onExport: () => void;
  sort: SortKey;
  onSort: (sort: SortKey) => void;
  busy: boolean;
  unknown: number;
  onRetryUnknown: () => void;
  onRefresh: () => void;
}): ReactElement {
  const styles = useStyles();
  return (
    <section className={styles.root} aria-label="Search and export">
      <SearchBox
        className={styles.search}
        placeholder="Search people"
        aria-label="Search name, address or domain"
        value={props.query}
        onChange={(_, data) => props.onQuery(data.value)}
      />
      <div className={styles.actions}>
        <Button
          className={styles.export}
          icon={<ArrowDownload20Regular />}
          onClick={props.onExport}
          disabled={props.busy || props.exportCount === 0}
          aria-label={`Export ${count(props.exportCount)} ${props.exportNoun}`}
          title={`Export ${count(props.exportCount)} ${props.exportNoun} as a CSV file`}
          data-testid="export"
        >
          Export {count(props.exportCount)}
          {props.exportNoun === FILTER_NOUNS.reachable ? ` ${props.exportNoun}` : ''}
        </Button>
        <Menu
          checkedValues={{ sort: [props.sort] }}
          onCheckedValueChange={(_, data) => props.onSort((data.checkedItems[0] ?? 'list') as SortKey)}
        >
          <MenuTrigger disableButtonEnhancement>
            <Button icon={<MoreHorizontal20Regular />} aria-label="More actions" title="More actions" />
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              <MenuGroup>
                <MenuGroupHeader>Sort by</MenuGroupHeader>
                {(Object.keys(SORT_LABELS) as SortKey[]).map((key) => (
                  <MenuItemRadio key={key} name="sort" value={key}>
                    {SORT_LABELS[key]}
                  </MenuItemRadio>
                ))}
              </MenuGroup>
              <MenuDivider />
              {props.unknown > 0 && (
                <MenuItem disabled={props.busy} onClick={props.onRetryUnknown}>
                  Check the {count(props.unknown)} unknown again
                </MenuItem>
              )}
              <MenuItem disabled={props.busy} onClick={props.onRefresh}>
                Check everyone again (fresh answers)
              </MenuItem>
            </MenuList>
          </MenuPopover>
        </Menu>
      </div>
    </section>
  );
}
