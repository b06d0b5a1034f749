import {
  Body1,
  Button,
  Caption1,
  Link,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Subtitle2,
  Title3,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ChangeEvent,
  type ReactElement,
} from 'react';
import { SignInError } from '../auth/sign-in-error';
import { toRows, type PersonRow } from '../contacts/contact';
import { uniqueDomains, type NormalisedDomain } from '../core/address';
import { ContactsLoad, ContactsLoadError, type ContactsProgress } from '../graph/contacts';
import { peopleOnMessage } from '../sources/message-people';
import { DomainDetails } from './components/DomainDetails';
import { PeopleList } from './components/PeopleList';
import { DirectorySetting } from './components/DirectorySetting';
import { SharingSetting } from './components/SharingSetting';
import { Summary } from './components/Summary';
import { Toolbar } from './components/Toolbar';
import { download, exportCsv, exportFileName } from './export';
import { countByFilter, filterRows, type Filter } from './filters';
import { count } from './present';
import type { PaneServices } from './services';
import { useFederationCheck } from './useFederationCheck';
import { useDirectory } from './useDirectory';
import { useSharing } from './useSharing';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalM,
  },
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  actions: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  progress: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  footer: { color: tokens.colorNeutralForeground3 },
  hidden: { display: 'none' },
  community: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

interface Problem {
  title: string;
  message: string;
  actions: { label: string; run: () => void }[];
}

function domainsOf(rows: readonly PersonRow[]): NormalisedDomain[] {
  return uniqueDomains(rows.flatMap((row) => (row.parsed.ok ? [row.parsed] : [])));
}

/** The task pane: choose a source, watch it load and check, read and export the answer for every person. */
export function App({ services }: { services: PaneServices }): ReactElement {
  const styles = useStyles();
  const federation = useFederationCheck(services);
  const sharing = useSharing(services);
  const directory = useDirectory(services);
  const [loading, setLoading] = useState<ContactsProgress | undefined>();
  const [rows, setRows] = useState<PersonRow[]>([]);
  const [source, setSource] = useState('');
  const [problem, setProblem] = useState<Problem | undefined>();
  const [filter, setFilter] = useState<Filter>('all');
  const [query, setQuery] = useState('');
  const [everyone, setEveryone] = useState(false);
  const [details, setDetails] = useState<PersonRow | undefined>();
  const loadAbort = useRef<AbortController | undefined>(undefined);
  const contactsLoad = useRef<ContactsLoad | undefined>(undefined);
  const fileInput = useRef<HTMLInputElement>(null);

  // Fetch the sign-in and lookup code once the pane is interactive, so a click finds it ready (a
  // sign-in pop-up must open within the click's user activation).
  useEffect(() => {
    const warm = setTimeout(() => {
      void services.lookup().catch(() => undefined);
      void services.tokens().catch(() => undefined);
    }, 200);
    return () => clearTimeout(warm);
  }, [services]);

  /** Checks domains, then hands the verdicts to sharing (which keeps them only while it is on). */
  const checkAndOffer = useCallback(
    async (domains: readonly NormalisedDomain[], options?: { merge?: boolean; refresh?: boolean }) => {
      const done = await federation.run(domains, options);
      if (done) sharing.offer(done.values());
    },
    [federation, sharing],
  );

  const check = useCallback(
    async (people: PersonRow[], label: string) => {
      setRows(people);
      setSource(label);
      setFilter('all');
      const domains = domainsOf(people);
      await checkAndOffer(domains);
      // After the DNS answers, never before: the directory can neither change nor delay them.
      directory.lookUp(domains.map((d) => d.domain));
    },
    [checkAndOffer, directory],
  );

  const checkContacts = useCallback(async () => {
    setProblem(undefined);
    const controller = new AbortController();
    loadAbort.current = controller;
    try {
      // Asked first, inside the click, so that an interactive sign-in may open its window.
      const tokens = await services.tokens();
      await tokens.getAccessToken();
      if (!contactsLoad.current || contactsLoad.current.complete) {
        contactsLoad.current = new ContactsLoad(await services.graph(), setLoading);
      }
      const load = contactsLoad.current;
      setLoading(load.progress);
      const contacts = await load.run(controller.signal);
      setLoading(undefined);
      await check(toRows(contacts), 'your contacts');
    } catch (error) {
      setLoading(undefined);
      const load = contactsLoad.current;
      if (error instanceof SignInError) {
        setProblem({
          title: 'Not signed in',
          message: error.message,
          actions: [{ label: 'Sign in', run: () => void checkContacts() }],
        });
      } else if (error instanceof ContactsLoadError && load) {
        const loaded = toRows(load.contacts);
        setRows(loaded);
        setSource('your contacts (part)');
        setProblem({
          title: `Loaded ${count(load.contacts.length)} contacts, then stopped`,
          message: error.message,
          actions: [
            { label: 'Retry the rest', run: () => void checkContacts() },
            ...(loaded.length > 0
              ? [{ label: 'Check what loaded', run: () => void check(loaded, 'your contacts (part)') }]
              : []),
          ],
        });
      } else if (!controller.signal.aborted) {
        setProblem({
          title: 'Something went wrong',
          message: error instanceof Error ? error.message : String(error),
          actions: [],
        });
      }
    } finally {
      if (loadAbort.current === controller) loadAbort.current = undefined;
    }
  }, [services, check]);

  const checkMessage = useCallback(async () => {
    setProblem(undefined);
    try {
      const people = await peopleOnMessage(services.messageItem);
      await check(toRows(people), 'this message');
    } catch (error) {
      setProblem({
        title: 'Could not read this message',
        message: `${error instanceof Error ? error.message : String(error)}. Open a message and try again.`,
        actions: [{ label: 'Try again', run: () => void checkMessage() }],
      });
    }
  }, [services, check]);

  const importFile = useCallback(
    async (event: ChangeEvent<HTMLInputElement>) => {
      const file = event.target.files?.[0];
      event.target.value = '';
      if (!file) return;
      setProblem(undefined);
      try {
        const parsed = await services.readContactsFile(file.name, await file.text());
        await check(toRows(parsed.contacts), file.name);
      } catch (error) {
        setProblem({
          title: 'Could not import the file',
          message: error instanceof Error ? error.message : String(error),
          actions: [],
        });
      }
    },
    [services, check],
  );

  const { verdicts } = federation;
  const counts = useMemo(() => countByFilter(rows, verdicts), [rows, verdicts]);
  const shown = useMemo(() => filterRows(rows, verdicts, filter, query), [rows, verdicts, filter, query]);
  const checking = federation.progress !== undefined;
  const busy = loading !== undefined || checking;

  const retryUnknown = (): void => {
    const unknown = domainsOf(rows).filter((d) => verdicts.get(d.domain)?.canFederate === null);
    void checkAndOffer(unknown, { merge: true });
  };
  const exportNow = (): void => download(exportFileName(everyone), exportCsv(rows, verdicts, { everyone }));
  const cancel = (): void => {
    loadAbort.current?.abort(new DOMException('Stopped by the user', 'AbortError'));
    federation.cancel();
  };

  return (
    <main className={styles.root} aria-busy={busy}>
      <header className={styles.header}>
        <Title3 as="h1">Who Can Federate</Title3>
        <Body1 as="p">
          See which of your contacts you can reach over Lync, Skype for Business, Teams or XMPP federation.
        </Body1>
        {!services.inOffice && (
          <MessageBar intent="info">
            <MessageBarBody>
              Not running inside Outlook: sign in with a pop-up to check your contacts, or import a contacts
              file.
            </MessageBarBody>
          </MessageBar>
        )}
      </header>

      <section className={styles.actions} aria-label="What to check">
        <Button appearance="primary" disabled={busy} onClick={() => void checkContacts()}>
          Check my contacts
        </Button>
        {services.messageItem && (
          <Button disabled={busy} onClick={() => void checkMessage()}>
            Check people on this message
          </Button>
        )}
        <Button disabled={busy} onClick={() => fileInput.current?.click()}>
          Import a contacts file…
        </Button>
        <input
          ref={fileInput}
          className={styles.hidden}
          type="file"
          accept=".csv,.vcf,text/csv,text/vcard"
          aria-label="Contacts file (CSV or vCard)"
          data-testid="contacts-file"
          tabIndex={-1}
          onChange={(event) => void importFile(event)}
        />
      </section>

      {problem && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{problem.title}</MessageBarTitle>
            {problem.message}
          </MessageBarBody>
          {problem.actions.length > 0 && (
            <MessageBarActions>
              {problem.actions.map((action) => (
                <Button key={action.label} onClick={action.run}>
                  {action.label}
                </Button>
              ))}
            </MessageBarActions>
          )}
        </MessageBar>
      )}

      <section className={styles.progress} aria-live="polite" aria-label="Progress">
        {loading && (
          <>
            <Subtitle2 as="h2">
              Loading contacts… {count(loading.contacts)} from {count(loading.folders)} folder
              {loading.folders === 1 ? '' : 's'}
            </Subtitle2>
            <ProgressBar aria-label="Loading contacts" />
          </>
        )}
        {federation.progress && (
          <>
            <Subtitle2 as="h2">
              Checking {count(federation.progress.done)} of {count(federation.progress.total)} domains
            </Subtitle2>
            <ProgressBar
              aria-label="Checking domains"
              value={
                federation.progress.total === 0 ? 1 : federation.progress.done / federation.progress.total
              }
            />
          </>
        )}
        {busy && <Button onClick={cancel}>Cancel</Button>}
        {!busy && federation.stopped && (
          <Body1>
            Stopped after {count(federation.stopped.done)} of {count(federation.stopped.total)} domains; the
            rest show as “not checked”.
          </Body1>
        )}
      </section>

      {rows.length > 0 && (
        <>
          <Summary counts={counts} source={source} />
          <Toolbar
            filter={filter}
            counts={counts}
            onFilter={setFilter}
            query={query}
            onQuery={setQuery}
            everyone={everyone}
            onEveryone={setEveryone}
            onExport={exportNow}
            busy={busy}
            onRetryUnknown={retryUnknown}
            onRefresh={() => void checkAndOffer(domainsOf(rows), { refresh: true })}
          />
          <PeopleList
            rows={shown}
            verdicts={verdicts}
            directory={directory.findings}
            checking={checking}
            onOpen={setDetails}
          />
        </>
      )}
      <DomainDetails
        row={details}
        verdict={details?.parsed.ok ? verdicts.get(details.parsed.domain) : undefined}
        finding={details?.parsed.ok ? directory.findings.get(details.parsed.domain) : undefined}
        onClose={() => setDetails(undefined)}
      />

      {(sharing.available || directory.available) && (
        <section className={styles.community} aria-labelledby="community-title">
          <Subtitle2 as="h2" id="community-title">
            Community directory
          </Subtitle2>
          <SharingSetting sharing={sharing} verdicts={() => verdicts.values()} />
          <DirectorySetting
            directory={directory}
            onEnabled={() => directory.lookUp(domainsOf(rows).map((d) => d.domain))}
          />
        </section>
      )}

      <footer className={styles.footer}>
        <Caption1>
          DNS shows whether a domain <em>can</em> federate, not whether its admins allow you.{' '}
          <Link href="support.html" target="_blank">
            Help
          </Link>{' '}
          ·{' '}
          <Link href="privacy.html" target="_blank">
            Privacy
          </Link>
        </Caption1>
      </footer>
    </main>
  );
}
