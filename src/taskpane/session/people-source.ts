import { SignInError } from '../../auth/sign-in-error';
import { toRows, type PersonRow } from '../../contacts/contact';
import { ContactsLoad, ContactsLoadError, type ContactsProgress } from '../../graph/contacts';
import { peopleOnMessage } from '../../sources/message-people';
import { count } from '../present';
import type { PaneServices } from '../services';
import { ExternalStore } from './external-store';

/** Something the person should know, with what they can do about it. */
export interface Problem {
  title: string;
  message: string;
  actions: { label: string; run: () => void }[];
}

/** A file the person picked: its name and text (a browser `File` is one). */
export interface PickedFile {
  name: string;
  text(): Promise<string>;
}

export interface PeopleSource {
  rows: PersonRow[];
  /** Where the rows came from, in words ("your contacts", "this message", a file name). */
  source: string;
  loading: ContactsProgress | undefined;
  /** A sign-in window may be open: the check buttons wait. */
  signingIn: boolean;
  problem: Problem | undefined;
}

/** The title of a Graph failure, for what happened (nothing loaded, or some). */
function loadTitle(error: ContactsLoadError, loaded: number): string {
  if (loaded > 0) return `Loaded ${count(loaded)} contacts, then stopped`;
  if (error.status === 401) return 'Your sign-in has expired';
  if (error.status === 403) return "Outlook wouldn't share your contacts";
  if (error.status === 429 || error.status === 503 || error.status === 504) return 'Outlook is busy';
  return "Couldn't load your contacts";
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Where the people come from: the mailbox's contacts (signing in first), the open message, or an
 * imported file. Hands every new list to `check`; keeps what loaded when Graph fails part-way.
 */
export class PeopleSourceSession extends ExternalStore<PeopleSource> {
  private loadAbort: AbortController | undefined;
  private contactsLoad: ContactsLoad | undefined;

  constructor(
    private readonly services: Pick<PaneServices, 'tokens' | 'graph' | 'messageItem' | 'readContactsFile'>,
    private readonly check: (rows: PersonRow[]) => Promise<void>,
  ) {
    super({ rows: [], source: '', loading: undefined, signingIn: false, problem: undefined });
  }

  private async show(people: PersonRow[], label: string): Promise<void> {
    this.set({ rows: people, source: label });
    await this.check(people);
  }

  /** Signs in (inside the click, so a sign-in window may open), loads every contact, and checks them. */
  async checkContacts(): Promise<void> {
    this.set({ problem: undefined });
    const controller = new AbortController();
    this.loadAbort = controller;
    const again = { label: 'Try again', run: () => void this.checkContacts() };
    const signIn = { label: 'Sign in', run: () => void this.checkContacts() };
    try {
      this.set({ signingIn: true });
      const tokens = await this.services.tokens();
      await tokens.getAccessToken();
      this.set({ signingIn: false });
      if (!this.contactsLoad || this.contactsLoad.complete) {
        this.contactsLoad = new ContactsLoad(await this.services.graph(), (loading) => this.set({ loading }));
      }
      const load = this.contactsLoad;
      this.set({ loading: load.progress });
      const contacts = await load.run(controller.signal);
      this.set({ loading: undefined });
      await this.show(toRows(contacts), 'your contacts');
    } catch (error) {
      this.set({ signingIn: false, loading: undefined });
      const load = this.contactsLoad;
      if (error instanceof SignInError) {
        this.set({ problem: { title: 'Not signed in', message: error.message, actions: [signIn] } });
      } else if (error instanceof ContactsLoadError && load) {
        const loaded = toRows(load.contacts);
        if (loaded.length > 0) this.set({ rows: loaded, source: 'your contacts (part)' });
        const retry =
          error.status === 401
            ? signIn
            : { ...again, label: loaded.length > 0 ? 'Retry the rest' : 'Try again' };
        const checkLoaded = {
          label: 'Check what loaded',
          run: () => {
            this.set({ problem: undefined });
            void this.show(loaded, 'your contacts (part)');
          },
        };
        this.set({
          problem: {
            title: loadTitle(error, load.contacts.length),
            message: error.message,
            actions: [retry, ...(loaded.length > 0 ? [checkLoaded] : [])],
          },
        });
      } else if (!controller.signal.aborted) {
        this.set({ problem: { title: 'Something went wrong', message: message(error), actions: [again] } });
      }
    } finally {
      if (this.loadAbort === controller) this.loadAbort = undefined;
    }
  }

  /** Checks the people on the open message. */
  async checkMessage(): Promise<void> {
    this.set({ problem: undefined });
    try {
      const people = await peopleOnMessage(this.services.messageItem);
      await this.show(toRows(people), 'this message');
    } catch (error) {
      this.set({
        problem: {
          title: "Couldn't read this message",
          message: `${message(error)}. Open a message and try again.`,
          actions: [{ label: 'Try again', run: () => void this.checkMessage() }],
        },
      });
    }
  }

  /** Checks the people of an Outlook or Google CSV export, or a vCard file. */
  async importFile(file: PickedFile): Promise<void> {
    this.set({ problem: undefined });
    try {
      const parsed = await this.services.readContactsFile(file.name, await file.text());
      await this.show(toRows(parsed.contacts), file.name);
    } catch (error) {
      this.set({ problem: { title: "Couldn't import the file", message: message(error), actions: [] } });
    }
  }

  /** Stops loading contacts (a check under way is stopped by its own session). */
  cancel(): void {
    this.loadAbort?.abort(new DOMException('Stopped by the user', 'AbortError'));
  }
}
