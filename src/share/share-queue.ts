import { byDomainName, reportBody, splitIntoReports, type Report, type ReportedDomain } from '../core/report';
import { PROBE_IDS, type ProbeId } from '../core/probes';

/** Where domains waiting to be shared are kept between runs: `localStorage` in the pane, a file for the CLI. */
export interface PendingStore {
  read(): string | null | undefined;
  write(text: string): void;
  remove(): void;
}

/** What the sharing client needs of HTTP: the browser's or Node's `fetch`. */
export type ShareFetch = (
  url: string,
  init: {
    method: 'POST';
    headers: Record<string, string>;
    body: string;
    credentials: 'omit';
    cache: 'no-store';
    referrerPolicy: 'no-referrer';
    mode: 'cors';
    signal?: AbortSignal;
  },
) => Promise<{ status: number; text(): Promise<string> }>;

export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** Where sharing stands, for the pane's status line and the CLI's message. */
export type ShareState =
  | { kind: 'idle' }
  | { kind: 'waiting'; domains: number; sendAt: number }
  | { kind: 'sending'; domains: number }
  | { kind: 'sent'; domains: number; at: number }
  | { kind: 'failed'; domains: number; retryAt: number | null; message: string };

export interface ShareQueueOptions {
  /** The collector's base URL, e.g. `https://collector.example`. */
  collectorUrl: string;
  fetch: ShareFetch;
  store: PendingStore;
  /** The random wait before a batch goes, so a report cannot be tied to when the pane was opened. */
  delay: { minMs: number; maxMs: number };
  /** Back-off after a failed send (doubling from `firstMs` up to `maxMs`). */
  retry?: { firstMs: number; maxMs: number };
  random?: () => number;
  now?: () => number;
  timers?: Timers;
  onState?: (state: ShareState) => void;
}

const STORE_VERSION = 1;
const browserTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * The opt-in sharing client. Domains found with records are merged into one pending set, kept in a
 * store so a closed pane or a failed send loses nothing, and sent after a random delay in reports
 * that fit the collector's limits. Requests carry the report and nothing else: no cookies, no
 * credentials, no referrer, no identifier. Sending never blocks the results: it runs on its own
 * timer, and a failure waits and retries.
 */
export class ShareQueue {
  private readonly domains = new Map<string, Set<ProbeId>>();
  private readonly options: Required<Omit<ShareQueueOptions, 'onState'>> & Pick<ShareQueueOptions, 'onState'>;
  private timer: unknown;
  private failures = 0;
  private sending: Promise<ShareState> | undefined;
  private stateNow: ShareState = { kind: 'idle' };
  /** Aborts the send in flight when sharing is turned off. */
  private inFlight: AbortController | undefined;
  /** Random for this queue: report keys cannot be recomputed by anyone else, nor link two installs. */
  private readonly keySalt = [...globalThis.crypto.getRandomValues(new Uint8Array(16))]
    .map((byte) => byte.toString(16).padStart(2, '0'))
    .join('');

  constructor(options: ShareQueueOptions) {
    this.options = {
      retry: { firstMs: 60_000, maxMs: 60 * 60_000 },
      random: Math.random,
      now: Date.now,
      timers: browserTimers,
      ...options,
    };
    this.load();
  }

  get state(): ShareState {
    return this.stateNow;
  }

  private setState(state: ShareState): void {
    this.stateNow = state;
    this.options.onState?.(state);
  }

  private load(): void {
    let text: string | null | undefined;
    try {
      text = this.options.store.read();
    } catch {
      text = undefined;
    }
    if (!text) return;
    try {
      const saved = JSON.parse(text) as { v?: number; domains?: ReportedDomain[] };
      if (saved.v !== STORE_VERSION || !Array.isArray(saved.domains)) return;
      for (const entry of saved.domains) mergeInto(this.domains, entry);
    } catch {
      // A store that is not ours (or damaged) is replaced at the next save.
    }
  }

  private save(): void {
    if (this.domains.size === 0) this.options.store.remove();
    else this.options.store.write(JSON.stringify({ v: STORE_VERSION, domains: this.pending() }));
  }

  /** The domains waiting to be sent, sorted, each with its records. */
  pending(): ReportedDomain[] {
    return entriesOf(this.domains);
  }

  /** The exact request bodies a send would POST now, for the preview. */
  previewBodies(extra: readonly ReportedDomain[] = []): string[] {
    const all = new Map([...this.domains].map(([domain, records]) => [domain, new Set(records)]));
    for (const entry of extra) mergeInto(all, entry);
    return splitIntoReports(entriesOf(all)).map(reportBody);
  }

  /** Adds a check's shareable domains and schedules a send after a random delay (if none is scheduled). */
  add(domains: readonly ReportedDomain[]): void {
    if (domains.length === 0) return;
    for (const entry of domains) mergeInto(this.domains, entry);
    this.save();
    if (this.timer === undefined && this.sending === undefined) this.schedule(this.nextDelayMs());
  }

  /** Schedules what an earlier session left pending, with a fresh random delay. */
  resume(): void {
    if (this.domains.size > 0 && this.timer === undefined && this.sending === undefined) {
      this.schedule(this.nextDelayMs());
    }
  }

  /** A fresh random wait within the configured delay: what a scheduled send waits, and what the CLI sleeps. */
  nextDelayMs(): number {
    const { minMs, maxMs } = this.options.delay;
    return minMs + Math.floor(this.options.random() * Math.max(0, maxMs - minMs));
  }

  private schedule(ms: number): void {
    this.cancelTimer();
    this.timer = this.options.timers.set(() => {
      this.timer = undefined;
      void this.sendNow();
    }, ms);
    if (this.stateNow.kind !== 'failed') {
      this.setState({ kind: 'waiting', domains: this.domains.size, sendAt: this.options.now() + ms });
    }
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.options.timers.clear(this.timer);
    this.timer = undefined;
  }

  /** Sends everything pending now, report by report; what fails stays pending for a retry. */
  sendNow(signal?: AbortSignal): Promise<ShareState> {
    this.sending ??= this.send(signal).finally(() => {
      this.sending = undefined;
    });
    return this.sending;
  }

  private async send(signal?: AbortSignal): Promise<ShareState> {
    this.cancelTimer();
    const controller = new AbortController();
    this.inFlight = controller;
    const stop = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', stop, { once: true });
    try {
      return await this.sendReports(controller.signal);
    } finally {
      signal?.removeEventListener('abort', stop);
      if (this.inFlight === controller) this.inFlight = undefined;
    }
  }

  private async sendReports(signal: AbortSignal): Promise<ShareState> {
    const reports = splitIntoReports(this.pending());
    if (reports.length === 0) {
      this.setState({ kind: 'idle' });
      return this.stateNow;
    }
    this.setState({ kind: 'sending', domains: this.domains.size });
    let sent = 0;
    let refusal: string | undefined;
    for (const report of reports) {
      let status: number;
      let text = '';
      try {
        const response = await this.options.fetch(
          `${this.options.collectorUrl.replace(/\/+$/, '')}/v1/reports`,
          {
            method: 'POST',
            // The same report sent again (a retry after a lost answer) carries the same key, so
            // the collector counts it once.
            headers: { 'content-type': 'application/json', 'idempotency-key': await this.keyOf(report) },
            body: reportBody(report),
            credentials: 'omit',
            cache: 'no-store',
            referrerPolicy: 'no-referrer',
            mode: 'cors',
            signal,
          },
        );
        status = response.status;
        text = await response.text().catch(() => '');
      } catch (error) {
        if (signal.aborted) return this.stateNow;
        return this.failed(sent, `the directory could not be reached (${(error as Error).message})`);
      }
      if (signal.aborted) return this.stateNow;
      if (status === 202) {
        for (const entry of report.domains) this.domains.delete(entry.domain);
        sent += report.domains.length;
        this.save();
      } else if (status === 400) {
        // Refused as malformed: sending it again would be refused again, so it is dropped.
        for (const entry of report.domains) this.domains.delete(entry.domain);
        this.save();
        refusal = `the directory refused a report (${messageOf(text)})`;
      } else {
        return this.failed(sent, `the directory answered ${status}${text ? ` (${messageOf(text)})` : ''}`);
      }
    }
    this.failures = 0;
    if (refusal) {
      this.setState({ kind: 'failed', domains: this.domains.size, retryAt: null, message: refusal });
    } else {
      this.setState({ kind: 'sent', domains: sent, at: this.options.now() });
    }
    return this.stateNow;
  }

  /** A report's idempotency key: a salted SHA-256 of its body, base64url. */
  private async keyOf(report: Report): Promise<string> {
    const data = new TextEncoder().encode(`${this.keySalt}${reportBody(report)}`);
    const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', data));
    return btoa(String.fromCharCode(...digest))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  }

  private failed(sent: number, message: string): ShareState {
    this.failures += 1;
    const { firstMs, maxMs } = this.options.retry;
    const wait = Math.min(maxMs, firstMs * 2 ** (this.failures - 1));
    const retryAt = this.options.now() + wait;
    this.setState({
      kind: 'failed',
      domains: this.domains.size,
      retryAt,
      message: sent > 0 ? `${message}; ${sent} domains were sent before that` : message,
    });
    this.schedule(wait);
    return this.stateNow;
  }

  /** Stops the timer (the pane is closing); what is pending stays for next time. */
  stop(): void {
    this.cancelTimer();
  }

  /** Sharing was turned off: forget everything pending, send nothing more. */
  clear(): void {
    this.cancelTimer();
    this.inFlight?.abort(new Error('sharing turned off'));
    this.domains.clear();
    this.failures = 0;
    this.options.store.remove();
    this.setState({ kind: 'idle' });
  }
}

/** Adds a domain's records to a pending set (union with what it already had). */
function mergeInto(domains: Map<string, Set<ProbeId>>, entry: ReportedDomain): void {
  const records = domains.get(entry.domain) ?? new Set<ProbeId>();
  for (const record of entry.records) records.add(record);
  domains.set(entry.domain, records);
}

/** A pending set as reported domains: sorted by name, records in catalogue order. */
function entriesOf(domains: ReadonlyMap<string, ReadonlySet<ProbeId>>): ReportedDomain[] {
  return [...domains]
    .map(([domain, records]) => ({ domain, records: PROBE_IDS.filter((id) => records.has(id)) }))
    .sort(byDomainName);
}

function messageOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: use the text
  }
  return text.slice(0, 200);
}
