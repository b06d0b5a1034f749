import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { lazy, Suspense, useEffect, useRef, useSyncExternalStore, type ReactElement } from 'react';
import { CheckStatus } from './components/CheckStatus';
import type { PeopleListHandle } from './components/PeopleList';
import { loadCheckAgainMenu, SourceActions } from './components/SourceActions';
import type { PaneServices } from './services';
import type { PaneSession } from './session/pane-session';
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
  announcer: VISUALLY_HIDDEN,
  empty: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

// Loaded when first opened: the first screen needs neither (they cost ~40 kB of gzipped JS).
const DomainDetails = lazy(() =>
  import(/* webpackChunkName: "details" */ './components/DomainDetails.js').then((m) => ({
    default: m.DomainDetails,
  })),
);
/**
 * The results (summary, toolbar, the list, notices): not on the first screen, which only offers the
 * sources, so their code (menus, search, the virtual list, toasts) loads while the person decides.
 */
const loadResults = () => import(/* webpackChunkName: "results" */ './components/Results.js');
const Results = lazy(() => loadResults().then((m) => ({ default: m.Results })));
const Settings = lazy(() =>
  import(/* webpackChunkName: "settings" */ './components/Settings.js').then((m) => ({
    default: m.Settings,
  })),
);

/**
 * The task pane's layout: reads the pane session's snapshot (its state lives outside React, see
 * session/pane-session.ts) and wires events to its commands, nothing more.
 */
export function App({ session, services }: { session: PaneSession; services: PaneServices }): ReactElement {
  const styles = useStyles();
  const view = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const list = useRef<PeopleListHandle>(null);

  useEffect(() => {
    // A head start, as for the lookup's code: a failure here is met again when the results show.
    const warm = setTimeout(() => {
      void loadResults().catch(() => undefined);
      void loadCheckAgainMenu().catch(() => undefined);
    }, 200);
    session.start();
    return () => {
      clearTimeout(warm);
      session.stop();
    };
  }, [session]);

  const { people, federation, sharing, directory, checking, busy, details } = view;
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
        // Loaded after the first screen (see loadResults): it waits at most for that chunk.
        <Suspense fallback={null}>
          <Results session={session} view={view} listRef={list} />
        </Suspense>
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
    </main>
  );
}
