import { useCallback, useRef, useState } from 'react';
import { SignInError } from '../auth/sign-in-error';
import { toRows, type PersonRow } from '../contacts/contact';
import { ContactsLoad, ContactsLoadError, type ContactsProgress } from '../graph/contacts';
import { peopleOnMessage } from '../sources/message-people';
import { count } from './present';
import type { PaneServices } from './services';

/** Something the person should know, with what they can do about it. */
export interface Problem {
  title: string;
  message: string;
  actions: { label: string; run: () => void }[];
}

export interface PeopleSource {
  rows: PersonRow[];
  /** Where the rows came from, in words ("your contacts", "this message", a file name). */
  source: string;
  loading: ContactsProgress | undefined;
  /** A sign-in window may be open: the check buttons wait. */
  signingIn: boolean;
  problem: Problem | undefined;
  clearProblem(): void;
  checkContacts(): Promise<void>;
  checkMessage(): Promise<void>;
  importFile(file: File): Promise<void>;
  cancel(): void;
}

/** The title of a Graph failure, for what happened (nothing loaded, or some). */
function loadTitle(error: ContactsLoadError, loaded: number): string {
  if (loaded > 0) return `Loaded ${count(loaded)} contacts, then stopped`;
  if (error.status === 401) return 'Your sign-in has expired';
  if (error.status === 403) return "Outlook wouldn't share your contacts";
  if (error.status === 429 || error.status === 503 || error.status === 504) return 'Outlook is busy';
  return "Couldn't load your contacts";
}

/**
 * Where the people come from: the mailbox's contacts (signing in first), the open message, or an
 * imported file. Hands every new list to `check`; keeps what loaded when Graph fails part-way.
 */
export function usePeopleSource(
  services: PaneServices,
  check: (rows: PersonRow[], source: string) => Promise<void>,
): PeopleSource {
  const [rows, setRows] = useState<PersonRow[]>([]);
  const [source, setSource] = useState('');
  const [loading, setLoading] = useState<ContactsProgress | undefined>();
  const [signingIn, setSigningIn] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  const loadAbort = useRef<AbortController | undefined>(undefined);
  const contactsLoad = useRef<ContactsLoad | undefined>(undefined);

  const show = useCallback(
    async (people: PersonRow[], label: string) => {
      setRows(people);
      setSource(label);
      await check(people, label);
    },
    [check],
  );

  const checkContacts = useCallback(async () => {
    setProblem(undefined);
    const controller = new AbortController();
    loadAbort.current = controller;
    try {
      // Asked first, inside the click, so that an interactive sign-in may open its window.
      setSigningIn(true);
      const tokens = await services.tokens();
      await tokens.getAccessToken();
      setSigningIn(false);
      if (!contactsLoad.current || contactsLoad.current.complete) {
        contactsLoad.current = new ContactsLoad(await services.graph(), setLoading);
      }
      const load = contactsLoad.current;
      setLoading(load.progress);
      const contacts = await load.run(controller.signal);
      setLoading(undefined);
      await show(toRows(contacts), 'your contacts');
    } catch (error) {
      setSigningIn(false);
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
        if (loaded.length > 0) {
          setRows(loaded);
          setSource('your contacts (part)');
        }
        const retry =
          error.status === 401
            ? { label: 'Sign in', run: () => void checkContacts() }
            : { label: loaded.length > 0 ? 'Retry the rest' : 'Try again', run: () => void checkContacts() };
        setProblem({
          title: loadTitle(error, load.contacts.length),
          message: error.message,
          actions: [
            retry,
            ...(loaded.length > 0
              ? [
                  {
                    label: 'Check what loaded',
                    run: () => {
                      setProblem(undefined);
                      void show(loaded, 'your contacts (part)');
                    },
                  },
                ]
              : []),
          ],
        });
      } else if (!controller.signal.aborted) {
        setProblem({
          title: 'Something went wrong',
          message: error instanceof Error ? error.message : String(error),
          actions: [{ label: 'Try again', run: () => void checkContacts() }],
        });
      }
    } finally {
      if (loadAbort.current === controller) loadAbort.current = undefined;
    }
  }, [services, show]);

  const checkMessage = useCallback(async () => {
    setProblem(undefined);
    try {
      const people = await peopleOnMessage(services.messageItem);
      await show(toRows(people), 'this message');
    } catch (error) {
      setProblem({
        title: "Couldn't read this message",
        message: `${error instanceof Error ? error.message : String(error)}. Open a message and try again.`,
        actions: [{ label: 'Try again', run: () => void checkMessage() }],
      });
    }
  }, [services, show]);

  const importFile = useCallback(
    async (file: File) => {
      setProblem(undefined);
      try {
        const parsed = await services.readContactsFile(file.name, await file.text());
        await show(toRows(parsed.contacts), file.name);
      } catch (error) {
        setProblem({
          title: "Couldn't import the file",
          message: error instanceof Error ? error.message : String(error),
          actions: [],
        });
      }
    },
    [services, show],
  );

  const cancel = useCallback(() => {
    loadAbort.current?.abort(new DOMException('Stopped by the user', 'AbortError'));
  }, []);

  return {
    rows,
    source,
    loading,
    signingIn,
    problem,
    clearProblem: () => setProblem(undefined),
    checkContacts,
    checkMessage,
    importFile,
    cancel,
  };
}
