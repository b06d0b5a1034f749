import { uniqueDomains, type NormalisedDomain } from '../../core/address';
import type { DomainVerdict } from '../../core/verdict';
import type { PersonRow } from '../../contacts/contact';
import { exportCsv, exportFileName } from '../export';
import { countByFilter, filterRows, FILTER_NOUNS, type Filter, type SortKey } from '../filters';
import { count } from '../present';
import type { PaneServices } from '../services';
import { NO_ENTRA_SETTING, THOROUGH_SETTING } from '../settings';
import { DirectorySession, type CommunityDirectory } from './directory';
import { ExternalStore } from './external-store';
import { FederationCheckSession, type FederationCheck, type RunOptions } from './federation-check';
import { PeopleSourceSession, type PeopleSource, type PickedFile } from './people-source';
import { RememberedSwitch, type RememberedSwitchView } from './remembered-switch';
import { SharingSession, type Sharing } from './sharing';

/** A short message the pane shows for a while (a toast): what happened, in the person's words. */
export interface Notice {
  intent: 'success' | 'info' | 'warning';
  title: string;
  body?: string;
  timeoutMs: number;
}

/** Everything the pane shows, at one moment: what React renders. */
export interface PaneSnapshot {
  people: PeopleSource;
  federation: FederationCheck;
  sharing: Sharing;
  directory: CommunityDirectory;
  thorough: RememberedSwitchView;
  noEntra: RememberedSwitchView;
  filter: Filter;
  sort: SortKey;
  query: string;
  /** What screen readers hear: the start and the end of a check, not every step. */
  announcement: string;
  /** The person whose details are open, and their row's place in the list. */
  details: { row: PersonRow; index: number } | undefined;
  settingsOpen: boolean;
  /** Once opened, the drawer stays mounted, so it can animate closed and open again at once. */
  settingsOpened: boolean;
  /** People in each filter, and the rows in view (filter, search and sort applied). */
  counts: Record<Filter, number>;
  shown: PersonRow[];
  /** A check runs. */
  checking: boolean;
  /** Every answer is on screen; only details (which cannot change one) are still coming. */
  answersIn: boolean;
  /** People are loading or being checked. */
  busy: boolean;
  /** People with a usable address. */
  checkable: number;
  /** Most answers are "Unknown" (or the DNS service was found unreachable): the pane says so, with Retry. */
  dnsTrouble: boolean;
}

function domainsOf(rows: readonly PersonRow[]): NormalisedDomain[] {
  return uniqueDomains(rows.flatMap((row) => (row.parsed.ok ? [row.parsed] : [])));
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The pane's state and flows, outside React: the people, the running check and its verdicts, the
 * directory and sharing, the view (filter, sort, search), notices, and the commands a person gives
 * (check contacts, retry the unknown, export the view, open a person, cancel). React reads
 * {@link getSnapshot} through `useSyncExternalStore`; `App.tsx` only lays it out and wires events.
 */
export class PaneSession extends ExternalStore<PaneSnapshot> {
  readonly people: PeopleSourceSession;
  readonly federation: FederationCheckSession;
  readonly sharing: SharingSession;
  readonly directory: DirectorySession;
  readonly thorough: RememberedSwitch;
  readonly noEntra: RememberedSwitch;
  private readonly noticeListeners = new Set<(notice: Notice) => void>();
  private warmUp: ReturnType<typeof setTimeout> | undefined;
  private derivedFrom: unknown[] = [];

  constructor(private readonly services: PaneServices) {
    const federation = new FederationCheckSession(services);
    const sharing = new SharingSession({
      config: services.config,
      settings: services.settings,
      pending: services.pendingShares,
      fetch: services.fetch,
    });
    const directory = new DirectorySession({
      config: services.config,
      settings: services.settings,
      fetch: services.fetch,
    });
    const thorough = new RememberedSwitch(services.settings, THOROUGH_SETTING);
    const noEntra = new RememberedSwitch(services.settings, NO_ENTRA_SETTING);
    // The people session hands each new list to this session's check, made once `this` exists.
    const session: { self?: PaneSession } = {};
    const people = new PeopleSourceSession(services, (rows) => (session.self as PaneSession).check(rows));
    super({
      people: people.getSnapshot(),
      federation: federation.getSnapshot(),
      sharing: sharing.getSnapshot(),
      directory: directory.getSnapshot(),
      thorough: thorough.getSnapshot(),
      noEntra: noEntra.getSnapshot(),
      filter: 'all',
      sort: 'list',
      query: '',
      announcement: '',
      details: undefined,
      settingsOpen: false,
      settingsOpened: false,
      counts: countByFilter([], new Map()),
      shown: [],
      checking: false,
      answersIn: false,
      busy: false,
      checkable: 0,
      dnsTrouble: false,
    });
    session.self = this;
    this.people = people;
    this.federation = federation;
    this.sharing = sharing;
    this.directory = directory;
    this.thorough = thorough;
    this.noEntra = noEntra;
    // The session lives as long as the pane, and its parts with it: their subscriptions are never undone.
    for (const part of [people, federation, sharing, directory, thorough, noEntra]) {
      part.subscribe(() => this.update({}));
    }
    // What the directory knows lets those domains' details wait behind the others'.
    let findings = directory.getSnapshot().findings;
    directory.subscribe(() => {
      if (directory.getSnapshot().findings === findings) return;
      findings = directory.getSnapshot().findings;
      this.deferKnown(findings);
    });
  }

  /**
   * Fetches the sign-in and lookup code once the pane is interactive, so a click finds it ready (a
   * sign-in pop-up must open within the click's user activation).
   */
  start(): void {
    this.sharing.resume();
    clearTimeout(this.warmUp);
    this.warmUp = setTimeout(() => {
      // Only a head start: a failure here is met again, and shown, when a check asks for them.
      void this.services.lookup().catch(() => undefined);
      void this.services.tokens().catch(() => undefined);
    }, 200);
  }

  /** Stops what runs (the pane is closing, or React unmounts it); {@link start} starts it again. */
  stop(): void {
    clearTimeout(this.warmUp);
    this.federation.stop();
    this.sharing.stop();
    this.directory.stop();
  }

  /** Calls `listener` with every notice (toast) from now on; returns the unsubscribe. */
  onNotice(listener: (notice: Notice) => void): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  private notify(notice: Notice): void {
    for (const listener of [...this.noticeListeners]) listener(notice);
  }

  /** Rebuilds the snapshot from the parts and `patch`, recomputing the view only when its inputs changed. */
  private update(patch: Partial<PaneSnapshot>): void {
    const before = this.getSnapshot();
    const people = this.people.getSnapshot();
    const federation = this.federation.getSnapshot();
    const filter = patch.filter ?? before.filter;
    const sort = patch.sort ?? before.sort;
    const query = patch.query ?? before.query;
    const { rows } = people;
    const { verdicts, progress } = federation;
    // Counted again only when the people or the verdicts change (not at each keystroke of a search);
    // the rows in view when any of what picks them changes.
    const [lastRows, lastVerdicts, lastFilter, lastSort, lastQuery] = this.derivedFrom;
    const sameAnswers = rows === lastRows && verdicts === lastVerdicts;
    const sameView = sameAnswers && filter === lastFilter && sort === lastSort && query === lastQuery;
    const counts = sameAnswers ? before.counts : countByFilter(rows, verdicts);
    const checkable = rows === lastRows ? before.checkable : rows.filter((row) => row.parsed.ok).length;
    const shown = sameView ? before.shown : filterRows(rows, verdicts, filter, query, sort);
    this.derivedFrom = [rows, verdicts, filter, sort, query];
    const checking = progress !== undefined;
    const answered = counts.yes + counts.likely + counts.depends + counts.no + counts.unknown;
    this.set({
      ...patch,
      people,
      federation,
      sharing: this.sharing.getSnapshot(),
      directory: this.directory.getSnapshot(),
      thorough: this.thorough.getSnapshot(),
      noEntra: this.noEntra.getSnapshot(),
      counts,
      shown,
      checking,
      answersIn: progress !== undefined && progress.done === progress.total,
      busy: people.loading !== undefined || checking,
      checkable,
      dnsTrouble: federation.dnsUnreachable || (!checking && answered >= 3 && counts.unknown > answered / 2),
    });
  }

  setFilter(filter: Filter): void {
    this.update({ filter });
  }

  setSort(sort: SortKey): void {
    this.update({ sort });
  }

  setQuery(query: string): void {
    this.update({ query });
  }

  checkContacts(): Promise<void> {
    return this.people.checkContacts();
  }

  checkMessage(): Promise<void> {
    return this.people.checkMessage();
  }

  importFile(file: PickedFile): Promise<void> {
    return this.people.importFile(file);
  }

  /** Stops loading contacts and the check under way; what is on screen stays. */
  cancel(): void {
    this.people.cancel();
    this.federation.cancel();
  }

  /** While details are coming, those of the people on screen (or opened) are asked first. */
  hurry(domains: string[]): void {
    void this.services.lookup().then(
      (lookup) => lookup.hurry(domains),
      () => undefined,
    );
  }

  /** The details of domains the community directory knows can wait behind the others'. */
  private deferKnown(findings: ReadonlyMap<string, unknown>): void {
    if (findings.size === 0) return;
    void this.services.lookup().then(
      (lookup) => lookup.deferDetails(findings.keys()),
      () => undefined,
    );
  }

  /** Checks domains, says when it starts and ends, then hands the verdicts to sharing. */
  private async checkAndOffer(
    domains: readonly NormalisedDomain[],
    people: readonly PersonRow[],
    options?: Omit<RunOptions, 'informational'>,
  ): Promise<void> {
    this.update({ announcement: `Checking ${count(domains.length)} domains…` });
    const done = await this.federation.run(domains, { ...options, informational: this.thorough.isOn() });
    if (!done) {
      this.update({ announcement: 'Stopped.' });
      return;
    }
    const counts = countByFilter(people, done);
    this.update({
      announcement: `Done — ${count(counts.yes + counts.likely)} of ${count(counts.all)} can federate.`,
    });
    this.sharing.offer(done.values());
  }

  /** A new list of people: checks their domains, then asks the directory (once the answers are in). */
  private async check(people: PersonRow[]): Promise<void> {
    this.update({ filter: 'all' });
    const domains = domainsOf(people);
    const names = domains.map((d) => d.domain);
    // Once every DNS answer is on screen, never before: the directory can neither change nor delay
    // them. Asked again at the end, in case the check was stopped first (a look-up already made is
    // not repeated).
    await this.checkAndOffer(domains, people, {
      onAnswers: () => {
        this.directory.lookUp(names);
        this.deferKnown(this.directory.getSnapshot().findings);
      },
    });
    this.directory.lookUp(names);
  }

  /** Checks again the domains whose answer is "Unknown", keeping every other answer. */
  retryUnknown(): Promise<void> {
    const { rows } = this.people.getSnapshot();
    const { verdicts } = this.federation.getSnapshot();
    const unknown = domainsOf(rows).filter((d) => verdicts.get(d.domain)?.answer === 'unknown');
    return this.checkAndOffer(unknown, rows, { merge: true });
  }

  /** Checks everyone afresh, ignoring cached answers (the previous ones stay until replaced). */
  refresh(): Promise<void> {
    const { rows } = this.people.getSnapshot();
    return this.checkAndOffer(domainsOf(rows), rows, { refresh: true });
  }

  /** The directory was turned on: looks up the domains already checked. */
  directoryEnabled(): void {
    this.directory.lookUp(domainsOf(this.people.getSnapshot().rows).map((d) => d.domain));
  }

  /** Writes the rows of the view as it is now (filter, search, sort) with these verdicts. */
  private saveView(verdicts: ReadonlyMap<string, DomainVerdict>): void {
    const { filter, query, sort } = this.getSnapshot();
    const rows = filterRows(this.people.getSnapshot().rows, verdicts, filter, query, sort);
    const fileName = exportFileName(filter);
    this.services.save(fileName, exportCsv(rows, verdicts));
    this.notify({
      intent: 'success',
      title: `Saved ${count(rows.length)} ${FILTER_NOUNS[filter]} to ${fileName}`,
      timeoutMs: 8000,
    });
  }

  /**
   * Exports the people in view once every detail its columns need is in: after the check under way,
   * then the client access records the check left for later (asked now for the exported rows only).
   * Never a half-known row.
   */
  async exportView(): Promise<void> {
    const finishing = (domains: number): void =>
      this.notify({
        intent: 'info',
        title: `Finishing details for ${count(domains)} domain${domains === 1 ? '' : 's'}… the file is saved when they are in.`,
        timeoutMs: 6000,
      });
    const { checking, federation } = this.getSnapshot();
    if (checking) finishing(Math.max(federation.progress?.detailsLeft ?? 0, 1));
    const { stopped, verdicts: afterCheck } = await this.federation.settled();
    if (stopped) {
      this.notify({
        intent: 'warning',
        title: 'Not exported: the check was stopped before every detail was in.',
        timeoutMs: 8000,
      });
      return;
    }
    const { filter, query, sort } = this.getSnapshot();
    const inView = filterRows(this.people.getSnapshot().rows, afterCheck, filter, query, sort);
    const missing = domainsOf(inView).filter((d) => {
      const verdict = afterCheck.get(d.domain);
      return verdict !== undefined && verdict.records['_xmpp-client._tcp'] === undefined;
    });
    if (missing.length === 0) {
      this.saveView(afterCheck);
      return;
    }
    if (!checking) finishing(missing.length);
    // Only what the file's columns need: client access (the rest waits for a person's details).
    this.saveView(await this.federation.complete(missing, ['_xmpp-client._tcp', '_xmpps-client._tcp']));
  }

  /** Opens a person's details, asking first the records the answers did not need (client access, Matrix, Cisco). */
  openPerson(row: PersonRow, index: number): void {
    if (row.parsed.ok) {
      this.hurry([row.parsed.domain]);
      const domain = row.parsed.displayDomain;
      this.federation.complete([row.parsed]).catch((error: unknown) =>
        this.notify({
          intent: 'warning',
          title: `Couldn't finish checking ${domain}`,
          body: errorText(error),
          timeoutMs: 8000,
        }),
      );
    }
    this.update({ details: { row, index } });
  }

  /** Closes the details; returns the row's place, for the focus to go back to. */
  closeDetails(): number | undefined {
    const index = this.getSnapshot().details?.index;
    this.update({ details: undefined });
    return index;
  }

  openSettings(): void {
    this.update({ settingsOpen: true, settingsOpened: true });
  }

  closeSettings(): void {
    this.update({ settingsOpen: false });
  }
}
