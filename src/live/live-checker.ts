import {
  LIVE_PROBES,
  MAX_LIVE_TARGETS_PER_DOMAIN,
  MAX_LIVE_TARGETS_PER_RECORD,
  type LiveResult,
} from '../core/live';
import type { ProbeId } from '../core/probes';
import type { RecordResult, Target } from '../core/records';
import { buildVerdict, type DomainVerdict } from '../core/verdict';
import { interpretAddresses } from '../dns/answer';
import { DnsError } from '../dns/errors';
import { Limiter } from '../async/limiter';
import type { DnsQuerier } from '../dns/querier';
import { AddressPolicy, type LiveService } from './address-policy';
import { ProbeEnded, tcpConnectTo, type ConnectFunction } from './connect';
import { Deadline, DeadlineExceeded, withDeadline } from './deadline';
import { tlsHandshake, withNameMatch, type Certificate } from './tls-probe';
import { xmppGreeting, type XmppGreeting } from './xmpp-probe';
import { matrixWellKnown, type MatrixWellKnownOptions } from './matrix-well-known';

export interface LiveCheckerOptions {
  /** The DNS client the lookup used: target hosts are resolved over the same resolvers. */
  resolver: DnsQuerier;
  /** Where checks may connect; public unicast addresses on the services' own ports by default. */
  policy?: AddressPolicy;
  /** The one way out to the network; injected by tests to prove what is never tried. */
  connect?: ConnectFunction;
  /** Servers contacted at once (default 16); one connection per server at a time whatever this is. */
  concurrency?: number;
  /** Time allowed for one address look-up, and for one connection with its handshake or greeting (default 4 s). */
  timeoutMs?: number;
  /** Time allowed for all of one domain's targets (default three connections' worth). */
  domainBudgetMs?: number;
  /**
   * Also fetch each domain's Matrix delegation (`https://<domain>/.well-known/matrix/server`) under
   * the same policy; its port and TLS trust are for tests only.
   */
  matrix?: boolean | Pick<MatrixWellKnownOptions, 'port' | 'tls' | 'timeoutMs'>;
}

export interface LiveProgress {
  done: number;
  total: number;
}

export interface LiveCheckOptions {
  signal?: AbortSignal;
  onProgress?: (progress: LiveProgress) => void;
  /**
   * Time allowed for the whole check: targets not yet contacted when it runs out are `skipped`
   * (the collector's per-round budget), and connections in progress are cut to what is left.
   */
  budgetMs?: number;
}

/** A target host's addresses, or why there are none. */
type Resolved = { addresses: string[] } | { addresses?: undefined; detail: string; lookupFailed: boolean };

/** What one connection to one server showed. */
type Outcome =
  | { kind: 'tls'; certificate: Certificate }
  | { kind: 'xmpp'; greeting: XmppGreeting }
  | { kind: 'ended'; ended: ProbeEnded };

/** What one `check()` shares between its targets, and forgets afterwards. */
interface Run {
  started: number;
  budgetMs: number;
  addresses: Map<string, Promise<Resolved>>;
  /** One outcome per (protocol, server, SNI or stream-to). */
  outcomes: Map<string, Promise<Outcome>>;
  /** Servers that refused or never spoke: every later target behind them gets the same, unasked. */
  down: Map<string, ProbeEnded>;
  /** When each domain's first target started: its time budget runs from there. */
  domainStarted: Map<number, number>;
  /** Tails of the per-server queues: a new connection waits for the one before it. */
  serverQueues: Map<string, Promise<unknown>>;
}

interface Job {
  verdict: number;
  probe: ProbeId;
  target: number;
  /** Set when the target is beyond the bounds: it is reported, not contacted. */
  skip?: string;
}

/** Why a target was not contacted when a budget ran out. */
const OUT_OF_TIME = 'not contacted: the time allowed for this check ran out';

const SERVICE: Record<string, LiveService> = {
  tls: 'sip',
  'xmpp-server': 'xmpp',
  'xmpp-client': 'xmpp',
  'xmpps-server': 'xmpp',
  'xmpps-client': 'xmpp',
};

/**
 * Contacts the servers behind the records a lookup found, to tell a live edge from a record left
 * behind. DNS is written by whoever owns a domain, so every target is treated as hostile input:
 * at most 10 targets per record and 20 per domain; every address and port passes the
 * {@link AddressPolicy} before a connection is opened, and the connection goes to that very
 * address; every look-up and connection has a timer of its own, and each domain (and, in the
 * collector, each round) a time budget. Each target host is resolved once per run (A and AAAA, over
 * the lookup's own resolvers); each server gets one connection at a time, different servers are
 * contacted in parallel, and a server that refused or stayed silent is not asked again in the run.
 * Nothing is retried, and nothing is sent beyond the protocol's greeting.
 */
export class LiveChecker {
  private readonly resolver: DnsQuerier;
  private readonly policy: AddressPolicy;
  private readonly connect: ConnectFunction;
  private readonly limiter: Limiter;
  private readonly timeoutMs: number;
  private readonly domainBudgetMs: number;
  private readonly matrix: Pick<MatrixWellKnownOptions, 'port' | 'tls' | 'timeoutMs'> | undefined;

  constructor(options: LiveCheckerOptions) {
    this.resolver = options.resolver;
    this.policy = options.policy ?? new AddressPolicy();
    this.connect = options.connect ?? tcpConnectTo;
    this.limiter = new Limiter(options.concurrency ?? 16);
    this.timeoutMs = options.timeoutMs ?? 4000;
    this.domainBudgetMs = options.domainBudgetMs ?? 3 * this.timeoutMs;
    this.matrix = options.matrix === true ? {} : options.matrix || undefined;
  }

  /** A domain's Matrix delegation, when asked for: it names the server over the SRV records (spec §2.1). */
  private async matrixDelegation(verdict: DomainVerdict, signal?: AbortSignal): Promise<void> {
    if (!this.matrix || verdict.consumer) return;
    const delegation = await this.limiter.run(
      () =>
        matrixWellKnown(
          verdict.domain,
          { resolver: this.resolver, policy: this.policy, connect: this.connect, ...this.matrix },
          signal,
        ),
      signal,
    );
    if (delegation.status === 'found') {
      verdict.matrix = { federation: true, server: delegation.server, via: 'well-known' };
    } else if (delegation.status === 'blocked') {
      verdict.notes.push(`Matrix delegation not fetched: ${delegation.detail}`);
    }
  }

  /** The verdicts again, each found target with its `live` result and the verdicts' live tri-states. */
  async check(verdicts: readonly DomainVerdict[], options: LiveCheckOptions = {}): Promise<DomainVerdict[]> {
    const copies = verdicts.map((verdict) => structuredClone(verdict.records));
    const jobs = copies.flatMap((records, verdict) => this.jobsOf(records, verdict));
    // Addresses and outcomes are remembered for this run only: a long-running collector checks
    // again, with fresh DNS, every time it verifies.
    const run: Run = {
      started: performance.now(),
      budgetMs: options.budgetMs ?? Number.POSITIVE_INFINITY,
      addresses: new Map(),
      outcomes: new Map(),
      down: new Map(),
      domainStarted: new Map(),
      serverQueues: new Map(),
    };
    const progress: LiveProgress = { done: 0, total: jobs.length };
    options.onProgress?.({ ...progress });
    await Promise.all(
      jobs.map(async (job) => {
        const records = copies[job.verdict] as Partial<Record<ProbeId, RecordResult>>;
        const target = (records[job.probe] as RecordResult).targets[job.target] as Target;
        const domain = (verdicts[job.verdict] as DomainVerdict).domain;
        target.live = job.skip
          ? { status: 'skipped', ms: 0, detail: job.skip }
          : await this.checkTarget(run, job, domain, target, options.signal);
        progress.done += 1;
        options.onProgress?.({ ...progress });
      }),
    );
    const checkedVerdicts = verdicts.map((verdict, i) => {
      const checked = buildVerdict(
        { domain: verdict.domain, displayDomain: verdict.displayDomain },
        copies[i] ?? {},
        { entra: verdict.entra, fromCloud: verdict.fromCloud },
      );
      const skipped = jobs.filter((job) => job.verdict === i && job.skip).length;
      if (skipped > 0) {
        checked.notes.push(
          `${skipped} more server${skipped === 1 ? ' was' : 's were'} not contacted: a live check contacts at most ` +
            `${MAX_LIVE_TARGETS_PER_RECORD} per record and ${MAX_LIVE_TARGETS_PER_DOMAIN} per domain`,
        );
      }
      return checked;
    });
    await Promise.all(checkedVerdicts.map((verdict) => this.matrixDelegation(verdict, options.signal)));
    return checkedVerdicts;
  }

  /** One domain's targets to check, in record then priority order, within the bounds. */
  private jobsOf(records: Partial<Record<ProbeId, RecordResult>>, verdict: number): Job[] {
    const jobs: Job[] = [];
    let counted = 0;
    for (const probe of Object.keys(LIVE_PROBES) as ProbeId[]) {
      const record = records[probe];
      if (record?.status !== 'found') continue;
      record.targets.forEach((_, target) => {
        let skip: string | undefined;
        if (target >= MAX_LIVE_TARGETS_PER_RECORD) {
          skip = `not contacted: only the first ${MAX_LIVE_TARGETS_PER_RECORD} servers of a record are checked`;
        } else if (counted >= MAX_LIVE_TARGETS_PER_DOMAIN) {
          skip = `not contacted: only ${MAX_LIVE_TARGETS_PER_DOMAIN} servers of a domain are checked`;
        } else {
          counted += 1;
        }
        jobs.push({ verdict, probe, target, skip });
      });
    }
    return jobs;
  }

  /** Milliseconds this target may still use: the smallest of its own limit, its domain's and the run's. */
  private allowance(run: Run, job: Job): number {
    const now = performance.now();
    const domainStarted = run.domainStarted.get(job.verdict) ?? now;
    run.domainStarted.set(job.verdict, domainStarted);
    const domainLeft = domainStarted + this.domainBudgetMs - now;
    const runLeft = run.started + run.budgetMs - now;
    return Math.floor(Math.min(this.timeoutMs, domainLeft, runLeft));
  }

  private async checkTarget(
    run: Run,
    job: Job,
    domain: string,
    target: Target,
    signal?: AbortSignal,
  ): Promise<LiveResult> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const kind = LIVE_PROBES[job.probe] as NonNullable<(typeof LIVE_PROBES)[ProbeId]>;
    const port = this.policy.checkPort(SERVICE[kind] as LiveService, target.port);
    if (!port.allowed) return { status: 'blocked', ms: 0, detail: port.reason };

    const lookupMs = this.allowance(run, job);
    if (lookupMs <= 0) return this.outOfTime(elapsed());
    const resolved = await this.resolve(run, target.target, lookupMs, signal);
    if (!resolved.addresses) {
      return {
        status: 'unresolved',
        ms: elapsed(),
        detail: resolved.detail,
        ...(resolved.lookupFailed ? { lookupFailed: true } : {}),
      };
    }
    const address = this.firstAllowed(resolved.addresses);
    if ('blocked' in address) return { status: 'blocked', ms: elapsed(), detail: address.blocked };

    const server = `${address.ok.includes(':') ? `[${address.ok}]` : address.ok}:${target.port}`;
    // SIP edges are named by SNI for the target (one handshake serves every domain behind it);
    // direct-TLS XMPP servers for the XMPP domain (XEP-0368); plain XMPP by the stream's `to`.
    const name = kind === 'tls' ? target.target : domain;
    const key = `${kind} ${server} ${name}`;
    let outcome = run.outcomes.get(key);
    if (!outcome) {
      outcome = this.oneAtATime(run, server, () =>
        this.contact(run, job, server, { kind, address: address.ok, port: target.port, name }, signal),
      );
      run.outcomes.set(key, outcome);
    }
    const result = await outcome;
    if (signal?.aborted) throw signal.reason;
    if (result.kind === 'ended') {
      return {
        status: result.ended.status,
        ms: elapsed(),
        address: address.ok,
        detail: result.ended.message,
      };
    }
    if (result.kind === 'tls') {
      const tls = withNameMatch(result.certificate, [target.target, domain]);
      return {
        status: 'answering',
        ms: elapsed(),
        address: address.ok,
        tls,
        ...(result.certificate.unreadable ? { detail: result.certificate.unreadable } : {}),
      };
    }
    return { status: 'answering', ms: elapsed(), address: address.ok, starttls: result.greeting.starttls };
  }

  private outOfTime(ms: number): LiveResult {
    return { status: 'skipped', ms, detail: OUT_OF_TIME };
  }

  /** The first address the policy allows, IPv4 before IPv6, or why none is. */
  private firstAllowed(addresses: readonly string[]): { ok: string } | { blocked: string } {
    let reason: string | undefined;
    for (const address of addresses) {
      const verdict = this.policy.checkAddress(address);
      if (verdict.allowed) return { ok: address };
      reason ??= verdict.reason;
    }
    return { blocked: `not contacted: ${reason ?? 'no usable address'}` };
  }

  /** Opens one connection, within the target's allowance; a server found down is not asked again. */
  private async contact(
    run: Run,
    job: Job,
    server: string,
    probe: { kind: string; address: string; port: number; name: string },
    signal?: AbortSignal,
  ): Promise<Outcome> {
    const known = run.down.get(server);
    if (known) return { kind: 'ended', ended: known };
    return this.limiter.run(async () => {
      const down = run.down.get(server);
      if (down) return { kind: 'ended', ended: down };
      const ms = this.allowance(run, job);
      if (ms <= 0) {
        return { kind: 'ended', ended: new ProbeEnded('skipped', OUT_OF_TIME) };
      }
      try {
        return await withDeadline(ms, signal, (deadline) => this.probe(probe, deadline));
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (!(error instanceof ProbeEnded)) throw error;
        if (error.status === 'timeout' && ms < this.timeoutMs) {
          // Cut short by the domain's or the run's budget: the server did not get its full time, so
          // this says nothing about it.
          return { kind: 'ended', ended: new ProbeEnded('skipped', OUT_OF_TIME) };
        }
        if (error.serverDown) run.down.set(server, error);
        return { kind: 'ended', ended: error };
      }
    }, signal);
  }

  private async probe(
    probe: { kind: string; address: string; port: number; name: string },
    signal: AbortSignal,
  ): Promise<Outcome> {
    const { kind, address, port, name } = probe;
    if (kind === 'tls' || kind === 'xmpps-server' || kind === 'xmpps-client') {
      const alpn = kind === 'tls' ? undefined : kind === 'xmpps-server' ? 'xmpp-server' : 'xmpp-client';
      const certificate = await tlsHandshake({
        address,
        port,
        servername: name,
        alpn,
        signal,
        connect: this.connect,
      });
      return { kind: 'tls', certificate };
    }
    const greeting = await xmppGreeting({
      address,
      port,
      domain: name,
      namespace: kind === 'xmpp-server' ? 'jabber:server' : 'jabber:client',
      signal,
      connect: this.connect,
    });
    return { kind: 'xmpp', greeting };
  }

  /** Runs `task` after every earlier connection to the same server in this run has finished. */
  private oneAtATime<T>(run: Run, server: string, task: () => Promise<T>): Promise<T> {
    const before = run.serverQueues.get(server) ?? Promise.resolve();
    const next = before.then(task, task);
    run.serverQueues.set(
      server,
      next.catch(() => undefined),
    );
    return next;
  }

  private resolve(run: Run, host: string, ms: number, signal?: AbortSignal): Promise<Resolved> {
    let pending = run.addresses.get(host);
    if (!pending) {
      pending = this.resolveNow(host, ms, signal);
      run.addresses.set(host, pending);
    }
    return pending;
  }

  /** A and AAAA at once, within one time limit of our own. */
  private async resolveNow(host: string, ms: number, signal?: AbortSignal): Promise<Resolved> {
    const deadline = new Deadline(ms, signal);
    try {
      const answers = await Promise.all(
        (['A', 'AAAA'] as const).map(async (type) => {
          try {
            const answer = interpretAddresses(
              await this.resolver.query(host, type, deadline.signal),
              host,
              type,
            );
            if (answer.status === 'found') return { addresses: answer.addresses };
            return answer.status === 'error' ? { failure: answer.error ?? 'lookup failed' } : {};
          } catch (error) {
            if (signal?.aborted) throw signal.reason;
            if (deadline.signal.reason instanceof DeadlineExceeded) {
              return { failure: `no answer within ${ms} ms` };
            }
            if (!(error instanceof DnsError)) throw error;
            return { failure: error.message };
          }
        }),
      );
      const addresses = answers.flatMap((answer) => ('addresses' in answer ? (answer.addresses ?? []) : []));
      if (addresses.length > 0) return { addresses };
      const failure = answers
        .map((answer) => ('failure' in answer ? answer.failure : undefined))
        .find(Boolean);
      return failure
        ? { detail: `the address lookup failed: ${failure}`, lookupFailed: true }
        : { detail: `${host} has no address (A or AAAA)`, lookupFailed: false };
    } finally {
      deadline.dispose();
    }
  }
}
