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
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import type { PersonRow } from '../contacts/contact';
import type { DomainVerdict } from '../core/verdict';
import { uniqueDomains, type NormalisedDomain } from '../core/address';
import { CheckStatus } from './components/CheckStatus';
import { PeopleList, type PeopleListHandle } from './components/PeopleList';
import { SourceActions } from './components/SourceActions';
import { SummaryCard } from './components/SummaryCard';
import { Toolbar } from './components/Toolbar';
import { download, exportCsv, exportFileName } from './export';
import { countByFilter, filterRows, FILTER_NOUNS, type Filter, type SortKey } from './filters';
import { count } from './present';
import type { PaneServices } from './services';
import { useDirectory } from './useDirectory';
import { useFederationCheck, type RunOptions } from './useFederationCheck';
import { usePeopleSource } from './usePeopleSource';
import { useSharing } from './useSharing';
import { useRememberedSwitch } from './useRememberedSwitch';
import { NO_ENTRA_SETTING } from './settings';
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

function domainsOf(rows: readonly PersonRow[]): NormalisedDomain[] {
  return uniqueDomains(rows.flatMap((row) => (row.parsed.ok ? [row.parsed] : [])));
}

/** The task pane: composes the hooks (people, check, sharing, directory) and lays out the answer. */
export function App({ services }: { services: PaneServices }): ReactElement {
  const styles = useStyles();
  const federation = useFederationCheck(services);
  const sharing = useSharing(services);
  const directory = useDirectory(services);
  const thorough = useRememberedSwitch(services.settings, 'thoroughCheck');
  const noEntra = useRememberedSwitch(services.settings, NO_ENTRA_SETTING);
  const [filter, setFilter] = useState<Filter>('all');
  const [sort, setSort] = useState<SortKey>('list');
  const [query, setQuery] = useState('');
  const [details, setDetails] = useState<{ row: PersonRow; index: number } | undefined>();
  const [settingsOpen, setSettingsOpen] = useState(false);
  /** Once opened, the drawer stays mounted, so it can animate closed and open again at once. */
  const [settingsOpened, setSettingsOpened] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const list = useRef<PeopleListHandle>(null);
  const toasterId = useId('toaster');
  const { dispatchToast } = useToastController(toasterId);

  // Fetch the sign-in and lookup code once the pane is interactive, so a click finds it ready (a
  // sign-in pop-up must open within the click's user activation).
  useEffect(() => {
    const warm = setTimeout(() => {
      // Only a head start: a failure here is met again, and shown, when a check asks for them.
      void services.lookup().catch(() => undefined);
      void services.tokens().catch(() => undefined);
    }, 200);
    return () => clearTimeout(warm);
  }, [services]);

  /** While details are coming, those of the people on screen (or opened) are asked first. */
  const hurry = useCallback(
    (domains: string[]) =>
      void services.lookup().then(
        (lookup) => lookup.hurry(domains),
        () => undefined,
      ),
    [services],
  );

  /** The details of domains the community directory knows can wait behind the others'. */
  const deferKnown = useCallback(
    (findings: ReadonlyMap<string, unknown>) => {
      if (findings.size === 0) return;
      void services.lookup().then(
        (lookup) => lookup.deferDetails(findings.keys()),
        () => undefined,
      );
    },
    [services],
  );

  /** Checks domains, says when it starts and ends, then hands the verdicts to sharing. */
  const checkAndOffer = useCallback(
    async (
      domains: readonly NormalisedDomain[],
      people: readonly PersonRow[],
      options?: Omit<RunOptions, 'informational'>,
    ) => {
      setAnnouncement(`Checking ${count(domains.length)} domains…`);
      const done = await federation.run(domains, { ...options, informational: thorough.isOn() });
      if (!done) {
        setAnnouncement('Stopped.');
        return;
      }
      const counts = countByFilter(people, done);
      setAnnouncement(`Done — ${count(counts.yes + counts.likely)} of ${count(counts.all)} can federate.`);
      sharing.offer(done.values());
    },
    [federation, sharing, thorough],
  );

  const check = useCallback(
    async (people: PersonRow[]) => {
      setFilter('all');
      const domains = domainsOf(people);
      const names = domains.map((d) => d.domain);
      // Once every DNS answer is on screen, never before: the directory can neither change nor delay
      // them. What it knows lets those domains' details wait (see the effect below). Asked again at
      // the end, in case the check was stopped first (a look-up already made is not repeated).
      await checkAndOffer(domains, people, {
        onAnswers: () => {
          directory.lookUp(names);
          deferKnown(knownDomains.current);
        },
      });
      directory.lookUp(names);
    },
    [checkAndOffer, directory, deferKnown],
  );
  const knownDomains = useRef(directory.findings);
  knownDomains.current = directory.findings;
  useEffect(() => deferKnown(directory.findings), [directory.findings, deferKnown]);
  const people = usePeopleSource(services, check);
  const { rows } = people;

  const { verdicts } = federation;
  const counts = useMemo(() => countByFilter(rows, verdicts), [rows, verdicts]);
  const shown = useMemo(
    () => filterRows(rows, verdicts, filter, query, sort),
    [rows, verdicts, filter, query, sort],
  );
  const checking = federation.progress !== undefined;
  /** Every answer is on screen; only details (which cannot change one) are still coming. */
  const answersIn =
    federation.progress !== undefined && federation.progress.done === federation.progress.total;
  const busy = people.loading !== undefined || checking;
  const checkable = rows.filter((row) => row.parsed.ok).length;
  const answered = counts.yes + counts.likely + counts.depends + counts.no + counts.unknown;

  const retryUnknown = (): void => {
    const unknown = domainsOf(rows).filter((d) => verdicts.get(d.domain)?.answer === 'unknown');
    void checkAndOffer(unknown, rows, { merge: true });
  };
  const refresh = (): void => void checkAndOffer(domainsOf(rows), rows, { refresh: true });
  // What an export that waited for the details writes: the rows of the view as it then is.
  const latest = useRef({ rows, filter, query, sort });
  latest.current = { rows, filter, query, sort };
  const saveNow = (verdictsNow: ReadonlyMap<string, DomainVerdict>): void => {
    const view = latest.current;
    const rowsNow = filterRows(view.rows, verdictsNow, view.filter, view.query, view.sort);
    const fileName = exportFileName(view.filter);
    download(fileName, exportCsv(rowsNow, verdictsNow));
    dispatchToast(
      <Toast>
        <ToastTitle>
          Saved {count(rowsNow.length)} {FILTER_NOUNS[view.filter]} to {fileName}
        </ToastTitle>
      </Toast>,
      { intent: 'success', timeout: 8000 },
    );
  };
  /**
   * Exports once every detail its columns need is in: after the check under way, then the client
   * access records the check left for later (asked now for the exported rows only). Never a
   * half-known row.
   */
  const exportNow = (): void => {
    const finishing = (domains: number): void =>
      dispatchToast(
        <Toast>
          <ToastTitle>
            Finishing details for {count(domains)} domain{domains === 1 ? '' : 's'}… the file is saved when
            they are in.
          </ToastTitle>
        </Toast>,
        { intent: 'info', timeout: 6000 },
      );
    if (checking) finishing(Math.max(federation.progress?.detailsLeft ?? 0, 1));
    void (async () => {
      const { stopped: wasStopped, verdicts: afterCheck } = await federation.settled();
      if (wasStopped) {
        dispatchToast(
          <Toast>
            <ToastTitle>Not exported: the check was stopped before every detail was in.</ToastTitle>
          </Toast>,
          { intent: 'warning', timeout: 8000 },
        );
        return;
      }
      const view = latest.current;
      const inView = filterRows(view.rows, afterCheck, view.filter, view.query, view.sort);
      const missing = domainsOf(inView).filter((d) => {
        const verdict = afterCheck.get(d.domain);
        return verdict !== undefined && verdict.records['_xmpp-client._tcp'] === undefined;
      });
      if (missing.length === 0) {
        saveNow(afterCheck);
        return;
      }
      if (!checking) finishing(missing.length);
      // Only what the file's columns need: client access (the rest waits for a person's details).
      saveNow(await federation.complete(missing, ['_xmpp-client._tcp', '_xmpps-client._tcp']));
    })();
  };
  const cancel = (): void => {
    people.cancel();
    federation.cancel();
  };
  const closeDetails = (): void => {
    const index = details?.index;
    setDetails(undefined);
    // Back to the row the dialog was opened from, once the dialog has let go of the focus.
    if (index !== undefined) requestAnimationFrame(() => list.current?.focusRow(index));
  };
  const otherSources = [
    ...(services.messageItem
      ? [{ label: 'Check people on this message', run: () => void people.checkMessage() }]
      : []),
  ];
  const mostlyUnknown = !checking && answered >= 3 && counts.unknown > answered / 2;
  const detailsRow = details?.row;

  return (
    <main className={styles.root} aria-busy={busy}>
      <SourceActions
        firstRun={people.source === ''}
        busy={busy}
        signingIn={people.signingIn}
        hasMessage={services.messageItem !== undefined}
        onContacts={() => void people.checkContacts()}
        onMessage={() => void people.checkMessage()}
        onFile={(file) => void people.importFile(file)}
        onSettings={() => {
          setSettingsOpened(true);
          setSettingsOpen(true);
        }}
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
      {(mostlyUnknown || federation.dnsUnreachable) && (
        <MessageBar intent="warning" layout="multiline" data-testid="dns-unreachable">
          <MessageBarBody>
            <MessageBarTitle>Couldn&apos;t reach the DNS service</MessageBarTitle>Your network may block it (a
            proxy or firewall). The people marked “Unknown” were not checked; nothing was counted as “No”.
            {!noEntra.on &&
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
        onCancel={cancel}
      />
      {people.source !== '' && checkable === 0 && !busy && (
        <MessageBar intent="info" layout="multiline" data-testid="no-addresses">
          <MessageBarBody>
            <MessageBarTitle>No contacts with an email address</MessageBarTitle>
            Nothing to check in {people.source}. Try another source.
          </MessageBarBody>
          <MessageBarActions>
            {[{ label: 'Check my contacts', run: () => void people.checkContacts() }, ...otherSources].map(
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
          <SummaryCard counts={counts} source={people.source} filter={filter} onFilter={setFilter} />
          <Toolbar
            query={query}
            onQuery={setQuery}
            exportCount={shown.length}
            exportNoun={FILTER_NOUNS[filter]}
            onExport={exportNow}
            sort={sort}
            onSort={setSort}
            busy={people.loading !== undefined || (checking && !answersIn)}
            unknown={counts.unknown}
            onRetryUnknown={retryUnknown}
            onRefresh={refresh}
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
              onOpen={(row, index) => {
                if (row.parsed.ok) {
                  hurry([row.parsed.domain]);
                  // The records the answers did not need (client access, Matrix, Cisco): asked now.
                  const domain = row.parsed.displayDomain;
                  void federation.complete([row.parsed]).catch((error: unknown) =>
                    dispatchToast(
                      <Toast>
                        <ToastTitle>Couldn't finish checking {domain}</ToastTitle>
                        <ToastBody>{error instanceof Error ? error.message : String(error)}</ToastBody>
                      </Toast>,
                      { intent: 'warning', timeout: 8000 },
                    ),
                  );
                }
                setDetails({ row, index });
              }}
              onVisibleDomains={hurry}
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
        {settingsOpened && (
          <Settings
            open={settingsOpen}
            onClose={() => setSettingsOpen(false)}
            sharing={sharing}
            directory={directory}
            verdicts={() => verdicts.values()}
            onDirectoryEnabled={() => directory.lookUp(domainsOf(rows).map((d) => d.domain))}
            thorough={thorough}
            entra={services.config.entraUrl ? { noEntra, ownCloud: services.ownCloud } : undefined}
          />
        )}
      </Suspense>
      <div className={styles.announcer} role="status" aria-live="polite" data-testid="announcer">
        {announcement}
      </div>
      <Toaster toasterId={toasterId} position="bottom" />
    </main>
  );
}
