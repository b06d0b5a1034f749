import {
  Toast,
  ToastBody,
  ToastTitle,
  Toaster,
  makeStyles,
  tokens,
  useId,
  useToastController,
} from '@fluentui/react-components';
import { useEffect, type ReactElement, type RefObject } from 'react';
import { FILTER_NOUNS } from '../filters';
import type { Notice, PaneSession, PaneSnapshot } from '../session/pane-session';
import { PeopleList, type PeopleListHandle } from './PeopleList';
import { SummaryCard } from './SummaryCard';
import { Toolbar } from './Toolbar';

const useStyles = makeStyles({
  // The list is the pane's one scroll container: it takes the height the rest leaves.
  list: {
    flexGrow: 1,
    flexShrink: 1,
    minHeight: 0,
    display: 'flex',
    flexDirection: 'column',
    marginLeft: `calc(-1 * ${tokens.spacingHorizontalS})`,
    marginRight: `calc(-1 * ${tokens.spacingHorizontalS})`,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
  },
});

/** A notice from the session as a Fluent toast. */
function toast(notice: Notice): ReactElement {
  return (
    <Toast>
      <ToastTitle>{notice.title}</ToastTitle>
      {notice.body && <ToastBody>{notice.body}</ToastBody>}
    </Toast>
  );
}

/**
 * The answer for the people checked: the summary, search and export, the list, and the notices the
 * session gives about them (saved, not exported…). One chunk, loaded after the first screen.
 */
export function Results({
  session,
  view,
  listRef,
}: {
  session: PaneSession;
  view: PaneSnapshot;
  listRef: RefObject<PeopleListHandle>;
}): ReactElement {
  const styles = useStyles();
  const toasterId = useId('toaster');
  const { dispatchToast } = useToastController(toasterId);
  useEffect(
    () =>
      session.onNotice((notice) =>
        dispatchToast(toast(notice), { intent: notice.intent, timeout: notice.timeoutMs }),
      ),
    [session, dispatchToast],
  );
  const { people, federation, directory, counts, shown, checking } = view;
  return (
    <>
      <SummaryCard
        counts={counts}
        source={people.source}
        filter={view.filter}
        onFilter={(filter) => session.setFilter(filter)}
      />
      <Toolbar
        query={view.query}
        onQuery={(query) => session.setQuery(query)}
        exportCount={shown.length}
        exportNoun={FILTER_NOUNS[view.filter]}
        onExport={() => void session.exportView()}
        sort={view.sort}
        onSort={(sort) => session.setSort(sort)}
        busy={people.loading !== undefined || (checking && !view.answersIn)}
        unknown={counts.unknown}
        onRetryUnknown={() => void session.retryUnknown()}
        onRefresh={() => void session.refresh()}
      />
      <div className={styles.list}>
        <PeopleList
          ref={listRef}
          rows={shown}
          verdicts={federation.verdicts}
          directory={directory.findings}
          checking={checking}
          stillChecking={federation.stillChecking}
          unfinished={federation.unfinished}
          onOpen={(row, index) => session.openPerson(row, index)}
          onVisibleDomains={(domains) => session.hurry(domains)}
        />
      </div>
      <Toaster toasterId={toasterId} position="bottom" />
    </>
  );
}
