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
import { useCallback, useEffect, useRef, useState, type ChangeEvent, type ReactElement } from 'react';
import { SignInError } from '../auth/sign-in-error';
import { toRows, type PersonRow } from '../contacts/contact';
import { uniqueDomains, type NormalisedDomain } from '../core/address';
import type { DomainVerdict } from '../core/verdict';
import { ContactsLoad, ContactsLoadError } from '../graph/contacts';
import { ContactsFileError, parseContactsFile } from '../sources/contacts-file';
import { peopleOnMessage } from '../sources/message-people';
import { ResultsList } from './components/ResultsList';
import { Summary } from './components/Summary';
import { count } from './present';
import type { PaneServices } from './services';

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
});

type Phase =
  | { kind: 'idle' }
  | { kind: 'loading'; contacts: number; folders: number }
  | { kind: 'checking'; done: number; total: number }
  | { kind: 'done'; stopped?: { done: number; total: number } };

interface Problem {
  title: string;
  message: string;
  actions: { label: string; run: () => void }[];
}

/** How often collected verdicts are drawn: often enough to look live, rarely enough for 2,000 domains. */
const FLUSH_MS = 150;

/** The task pane: choose a source, watch it load and check, read the answer for every person. */
export function App({ services }: { services: PaneServices }): ReactElement {
  const styles = useStyles();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [rows, setRows] = useState<PersonRow[]>([]);
  const [source, setSource] = useState('');
  const [verdicts, setVerdicts] = useState<ReadonlyMap<string, DomainVerdict>>(new Map());
  const [problem, setProblem] = useState<Problem | undefined>();
  const abort = useRef<AbortController | undefined>(undefined);
  const contactsLoad = useRef<ContactsLoad | undefined>(undefined);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => () => abort.current?.abort(), []);

  const cancel = useCallback(
    () => abort.current?.abort(new DOMException('Stopped by the user', 'AbortError')),
    [],
  );

  const check = useCallback(
    async (people: PersonRow[], label: string) => {
      setRows(people);
      setSource(label);
      const domains: NormalisedDomain[] = uniqueDomains(
        people.flatMap((row) => (row.parsed.ok ? [row.parsed] : [])),
      );
      const controller = new AbortController();
      abort.current = controller;
      const collected = new Map<string, DomainVerdict>();
      const progress = { done: 0, total: domains.length };
      setVerdicts(new Map());
      setPhase({ kind: 'checking', ...progress });
      const flush = (): void => {
        setVerdicts(new Map(collected));
        setPhase((current) => (current.kind === 'checking' ? { kind: 'checking', ...progress } : current));
      };
      const timer = setInterval(flush, FLUSH_MS);
      try {
        await services.lookup.checkDomains(domains, {
          signal: controller.signal,
          onPartial: (verdict) => collected.set(verdict.domain, verdict),
          onVerdict: (verdict) => collected.set(verdict.domain, verdict),
          onProgress: (p) => {
            progress.done = p.domainsDone;
          },
        });
        flush();
        setPhase({ kind: 'done' });
      } catch (error) {
        flush();
        if (!controller.signal.aborted) throw error;
        setPhase({ kind: 'done', stopped: { ...progress } });
      } finally {
        clearInterval(timer);
      }
    },
    [services],
  );

  const checkContacts = useCallback(async () => {
    setProblem(undefined);
    const controller = new AbortController();
    abort.current = controller;
    try {
      // Asked first, inside the click, so that an interactive sign-in may open its window.
      await services.tokens.getAccessToken();
      if (!contactsLoad.current || contactsLoad.current.complete) {
        contactsLoad.current = new ContactsLoad(services.graph(), (p) => setPhase({ kind: 'loading', ...p }));
      }
      const load = contactsLoad.current;
      setPhase({ kind: 'loading', ...load.progress });
      const contacts = await load.run(controller.signal);
      await check(toRows(contacts), 'your contacts');
    } catch (error) {
      const load = contactsLoad.current;
      if (error instanceof SignInError) {
        setPhase({ kind: 'idle' });
        setProblem({
          title: 'Not signed in',
          message: error.message,
          actions: [{ label: 'Sign in', run: () => void checkContacts() }],
        });
      } else if (error instanceof ContactsLoadError && load) {
        const loaded = toRows(load.contacts);
        setRows(loaded);
        setSource('your contacts (part)');
        setPhase({ kind: 'idle' });
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
      } else if (controller.signal.aborted) {
        setPhase({ kind: 'idle' });
      } else {
        setPhase({ kind: 'idle' });
        setProblem({
          title: 'Something went wrong',
          message: error instanceof Error ? error.message : String(error),
          actions: [],
        });
      }
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
        const parsed = parseContactsFile(file.name, await file.text());
        await check(toRows(parsed.contacts), file.name);
      } catch (error) {
        const message =
          error instanceof ContactsFileError
            ? error.message
            : `Could not read ${file.name}: ${String(error)}`;
        setProblem({ title: 'Could not import the file', message, actions: [] });
      }
    },
    [check],
  );

  const busy = phase.kind === 'loading' || phase.kind === 'checking';
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
        {phase.kind === 'loading' && (
          <>
            <Subtitle2 as="h2">
              Loading contacts… {count(phase.contacts)} from {count(phase.folders)} folder
              {phase.folders === 1 ? '' : 's'}
            </Subtitle2>
            <ProgressBar />
            <Button onClick={cancel}>Cancel</Button>
          </>
        )}
        {phase.kind === 'checking' && (
          <>
            <Subtitle2 as="h2">
              Checking {count(phase.done)} of {count(phase.total)} domains
            </Subtitle2>
            <ProgressBar value={phase.total === 0 ? 1 : phase.done / phase.total} />
            <Button onClick={cancel}>Cancel</Button>
          </>
        )}
        {phase.kind === 'done' && phase.stopped && (
          <Body1>
            Stopped after {count(phase.stopped.done)} of {count(phase.stopped.total)} domains; the rest show
            as “not checked”.
          </Body1>
        )}
      </section>

      {rows.length > 0 && (
        <>
          <Summary rows={rows} verdicts={verdicts} source={source} />
          <ResultsList rows={rows} verdicts={verdicts} checking={phase.kind === 'checking'} />
        </>
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
