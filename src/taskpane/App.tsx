import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Toast,
  ToastBody,
  ToastTitle,
  Toaster,
  makeStyles,
  tokens,
  useId,
  useToastController,
} from '@fluentui/react-components';
import { lazy, Suspense, useEffect, useRef, useSyncExternalStore, type ReactElement } from 'react';
import { CheckStatus } from './components/CheckStatus';
import { PeopleList, type PeopleListHandle } from './components/PeopleList';
import { SourceActions } from './components/SourceActions';
import { SummaryCard } from './components/SummaryCard';
import { Toolbar } from './components/Toolbar';
import { FILTER_NOUNS } from './filters';
import type { PaneServices } from './services';
import type { Notice, PaneSession } from './session/pane-session';
import { VISUALLY_HIDDEN } from './components/visually-hidden';

const useStyles = makeStyles({
  // The pane is exactly the viewport: the list is its one scroll container, the rest stays put.
  root: {
    height: '100vh',
    position: 'relative',
    boxSizing: 'border-box',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS} 0`,
    overflow: 'hidden',
    // Everything above the list keeps its height; only the list gives way.
    '& > *': { flexShrink: 0 },
  },
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
  announcer: VISUALLY_HIDDEN,
  empty: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

// Loaded when first opened: the first screen needs neither (they cost ~40 kB of gzipped JS).
const DomainDetails = lazy(() =>
  import(/* webpackChunkName: "details" */ './components/DomainDetails.js').then((m) => ({
    default: m.DomainDetails,
  })),
);
const Settings = lazy(() =>
  import(/* webpackChunkName: "settings" */ './components/Settings.js').then((m) => ({
    default: m.Settings,
  })),
);

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
 * The task pane's layout: reads the pane session's snapshot (its state lives outside React, see
 * session/pane-session.ts) and wires events to its commands, nothing more.
 */
export function App({ session, services }: { session: PaneSession; services: PaneServices }): ReactElement {
  const styles = useStyles();
  const view = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const list = useRef<PeopleListHandle>(null);
  const toasterId = useId('toaster');
  const { dispatchToast } = useToastController(toasterId);

  useEffect(() => {
    session.start();
    return () => session.stop();
  }, [session]);
  useEffect(
    () =>
      session.onNotice((notice) =>
        dispatchToast(toast(notice), { intent: notice.intent, timeout: notice.timeoutMs }),
      ),
    [session, dispatchToast],
  );

  const { people, federation, sharing, directory, counts, shown, checking, busy, details } = view;
  const { rows } = people;
  const { verdicts } = federation;
  const retryUnknown = (): void => void session.retryUnknown();
  const closeDetails = (): void => {
    const index = session.closeDetails();
    // Back to the row the dialog was opened from, once the dialog has let go of the focus.
    if (index !== undefined) requestAnimationFrame(() => list.current?.focusRow(index));
  };
  const otherSources = [
    ...(services.messageItem
      ? [{ label: 'Check people on this message', run: () => void session.checkMessage() }]
      : []),
  ];
  const detailsRow = details?.row;

  return (
    <main className={styles.root} aria-busy={busy}>
      <SourceActions
        firstRun={people.source === ''}
        busy={busy}
        signingIn={people.signingIn}
        hasMessage={services.messageItem !== undefined}
        onContacts={() => void session.checkContacts()}
        onMessage={() => void session.checkMessage()}
        onFile={(file) => void session.importFile(file)}
        onSettings={() => session.openSettings()}
      />
      {!services.inOffice && people.source === '' && (
        <MessageBar intent="info">
          <MessageBarBody>
            Not running inside Outlook: sign in with a pop-up to check your contacts, or import a contacts
            file.
          </MessageBarBody>
        </MessageBar>
      )}
      {people.problem && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{people.problem.title}</MessageBarTitle>
            {people.problem.message}
          </MessageBarBody>
          {people.problem.actions.length > 0 && (
            <MessageBarActions>
              {people.problem.actions.map((action) => (
                <Button key={action.label} onClick={action.run}>
                  {action.label}
                </Button>
              ))}
            </MessageBarActions>
          )}
        </MessageBar>
      )}
      {view.dnsTrouble && (
        <MessageBar intent="warning" layout="multiline" data-testid="dns-unreachable">
          <MessageBarBody>
            <MessageBarTitle>Couldn&apos;t reach the DNS service</MessageBarTitle>Your network may block it (a
            proxy or firewall). The people marked “Unknown” were not checked; nothing was counted as “No”.
            {!view.noEntra.on &&
              ' Organisations that use Microsoft 365 are still found through Microsoft’s sign-in service.'}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={retryUnknown} disabled={checking}>
              Retry
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      <CheckStatus
        loading={people.loading}
        progress={federation.progress}
        stopped={busy ? undefined : federation.stopped}
        onCancel={() => session.cancel()}
      />
      {people.source !== '' && view.checkable === 0 && !busy && (
        <MessageBar intent="info" layout="multiline" data-testid="no-addresses">
          <MessageBarBody>
            <MessageBarTitle>No contacts with an email address</MessageBarTitle>
            Nothing to check in {people.source}. Try another source.
          </MessageBarBody>
          <MessageBarActions>
            {[{ label: 'Check my contacts', run: () => void session.checkContacts() }, ...otherSources].map(
              (a) => (
                <Button key={a.label} onClick={a.run}>
                  {a.label}
                </Button>
              ),
            )}
          </MessageBarActions>
        </MessageBar>
      )}
      {rows.length > 0 && (
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
            onRetryUnknown={retryUnknown}
            onRefresh={() => void session.refresh()}
          />
          <div className={styles.list}>
            <PeopleList
              ref={list}
              rows={shown}
              verdicts={verdicts}
              directory={directory.findings}
              checking={checking}
              stillChecking={federation.stillChecking}
              unfinished={federation.unfinished}
              onOpen={(row, index) => session.openPerson(row, index)}
              onVisibleDomains={(domains) => session.hurry(domains)}
            />
          </div>
        </>
      )}
      <Suspense fallback={null}>
        {detailsRow && (
          <DomainDetails
            row={detailsRow}
            verdict={detailsRow.parsed.ok ? verdicts.get(detailsRow.parsed.domain) : undefined}
            finding={detailsRow.parsed.ok ? directory.findings.get(detailsRow.parsed.domain) : undefined}
            stillChecking={detailsRow.parsed.ok && federation.stillChecking.has(detailsRow.parsed.domain)}
            onClose={closeDetails}
          />
        )}
        {view.settingsOpened && (
          <Settings
            open={view.settingsOpen}
            onClose={() => session.closeSettings()}
            sharing={sharing}
            directory={directory}
            verdicts={() => verdicts.values()}
            onDirectoryEnabled={() => session.directoryEnabled()}
            thorough={view.thorough}
            entra={
              services.config.entraUrl ? { noEntra: view.noEntra, ownCloud: services.ownCloud } : undefined
            }
          />
        )}
      </Suspense>
      <div className={styles.announcer} role="status" aria-live="polite" data-testid="announcer">
        {view.announcement}
      </div>
      <Toaster toasterId={toasterId} position="bottom" />
    </main>
  );
}
