import type { LiveInputs, LiveResult } from '../core/live';
import { liveKey } from '../core/live';
import { verdictWithLive, type DomainVerdict } from '../core/verdict';
import { Limiter } from '../async/limiter';
import type { DnsQuerier } from '../dns/querier';
import { firstAllowed, resolveAddresses, type Resolved } from './address-resolution';
import { AddressPolicy } from './address-policy';
import { ProbeEnded, tcpConnectTo, type ConnectFunction } from './connect';
import { withDeadline } from './deadline';
import { matrixWellKnown, type MatrixWellKnownOptions } from './matrix-well-known';
import { probeServer, SERVICE_OF, type Outcome, type ServerToProbe } from './probers';
import { ServerMemo } from './server-memo';
import { planTargets, type LiveJob } from './target-plan';
import { withNameMatch } from './tls-probe';

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

/** What one `check()` shares between its targets, and forgets afterwards. */
interface Run {
  started: number;
  budgetMs: number;
  memo: ServerMemo;
  /** When each domain's first target started: its time budget runs from there. */
  domainStarted: Map<number, number>;
}

/** Why a target was not contacted when a budget ran out. */
const OUT_OF_TIME = 'not contacted: the time allowed for this check ran out';

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
  private async matrixDelegation(
    verdict: DomainVerdict,
    signal?: AbortSignal,
  ): Promise<LiveInputs['matrix']> {
    if (!this.matrix || verdict.consumer) return undefined;
    const delegation = await this.limiter.run(
      () =>
        matrixWellKnown(
          verdict.domain,
          { resolver: this.resolver, policy: this.policy, connect: this.connect, ...this.matrix },
          signal,
        ),
      signal,
    );
    if (delegation.status === 'found') return { server: delegation.server };
    if (delegation.status === 'blocked') return { blocked: delegation.detail };
    return undefined;
  }

  /**
   * What answers behind each verdict's records: per domain, the findings keyed by target, the
   * targets beyond the bounds and the Matrix delegation. The verdicts are not touched.
   */
  async findings(verdicts: readonly DomainVerdict[], options: LiveCheckOptions = {}): Promise<LiveInputs[]> {
    const plans = verdicts.map((verdict) => planTargets(verdict.records));
    const run: Run = {
      started: performance.now(),
      budgetMs: options.budgetMs ?? Number.POSITIVE_INFINITY,
      memo: new ServerMemo(),
      domainStarted: new Map(),
    };
    const progress: LiveProgress = { done: 0, total: plans.reduce((sum, jobs) => sum + jobs.length, 0) };
    options.onProgress?.({ ...progress });
    const reports = await Promise.all(
      plans.map(async (jobs, domainIndex) => {
        const verdict = verdicts[domainIndex] as DomainVerdict;
        const findings = new Map<string, LiveResult>();
        await Promise.all(
          jobs.map(async (job) => {
            findings.set(
              liveKey(job.probe, job.index, job.target),
              job.skip
                ? { status: 'skipped', ms: 0, detail: job.skip }
                : await this.checkTarget(run, domainIndex, job, verdict.domain, options.signal),
            );
            progress.done += 1;
            options.onProgress?.({ ...progress });
          }),
        );
        return { findings, skipped: jobs.filter((job) => job.skip).length };
      }),
    );
    const delegations = await Promise.all(
      verdicts.map((verdict) => this.matrixDelegation(verdict, options.signal)),
    );
    return reports.map((report, i) => {
      const matrix = delegations[i];
      return matrix ? { ...report, matrix } : report;
    });
  }

  /** The verdicts again, with what answers behind their records (see {@link findings}). */
  async check(verdicts: readonly DomainVerdict[], options: LiveCheckOptions = {}): Promise<DomainVerdict[]> {
    const reports = await this.findings(verdicts, options);
    return verdicts.map((verdict, i) => verdictWithLive(verdict, reports[i] as LiveInputs));
  }

  /** Milliseconds a target may still use: the smallest of its own limit, its domain's and the run's. */
  private allowance(run: Run, domainIndex: number): number {
    const now = performance.now();
    const domainStarted = run.domainStarted.get(domainIndex) ?? now;
    run.domainStarted.set(domainIndex, domainStarted);
    const domainLeft = domainStarted + this.domainBudgetMs - now;
    const runLeft = run.started + run.budgetMs - now;
    return Math.floor(Math.min(this.timeoutMs, domainLeft, runLeft));
  }

  private async checkTarget(
    run: Run,
    domainIndex: number,
    job: LiveJob,
    domain: string,
    signal?: AbortSignal,
  ): Promise<LiveResult> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const { kind, target } = job;
    const port = this.policy.checkPort(SERVICE_OF[kind], target.port);
    if (!port.allowed) return { status: 'blocked', ms: 0, detail: port.reason };

    const lookupMs = this.allowance(run, domainIndex);
    if (lookupMs <= 0) return { status: 'skipped', ms: elapsed(), detail: OUT_OF_TIME };
    const resolved: Resolved = await run.memo.addressesOf(target.target, () =>
      resolveAddresses(this.resolver, target.target, lookupMs, signal),
    );
    if (!resolved.addresses) {
      return {
        status: 'unresolved',
        ms: elapsed(),
        detail: resolved.detail,
        ...(resolved.lookupFailed ? { lookupFailed: true } : {}),
      };
    }
    const address = firstAllowed(this.policy, resolved.addresses);
    if ('blocked' in address) return { status: 'blocked', ms: elapsed(), detail: address.blocked };

    const server = `${address.ok.includes(':') ? `[${address.ok}]` : address.ok}:${target.port}`;
    // SIP edges are named by SNI for the target (one handshake serves every domain behind it);
    // direct-TLS XMPP servers for the XMPP domain (XEP-0368); plain XMPP by the stream's `to`.
    const name = kind === 'tls' ? target.target : domain;
    const result = await run.memo.outcomeOf(`${kind} ${server} ${name}`, server, () =>
      this.contact(run, domainIndex, server, { kind, address: address.ok, port: target.port, name }, signal),
    );
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

  /** Opens one connection, within the target's allowance; a server found down is not asked again. */
  private async contact(
    run: Run,
    domainIndex: number,
    server: string,
    probe: ServerToProbe,
    signal?: AbortSignal,
  ): Promise<Outcome> {
    const known = run.memo.downReason(server);
    if (known) return { kind: 'ended', ended: known };
    return this.limiter.run(async () => {
      const down = run.memo.downReason(server);
      if (down) return { kind: 'ended', ended: down };
      const ms = this.allowance(run, domainIndex);
      if (ms <= 0) return { kind: 'ended', ended: new ProbeEnded('skipped', OUT_OF_TIME) };
      try {
        return await withDeadline(ms, signal, (deadline) => probeServer(probe, deadline, this.connect));
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (!(error instanceof ProbeEnded)) throw error;
        if (error.status === 'timeout' && ms < this.timeoutMs) {
          // Cut short by the domain's or the run's budget: the server did not get its full time, so
          // this says nothing about it.
          return { kind: 'ended', ended: new ProbeEnded('skipped', OUT_OF_TIME) };
        }
        if (error.serverDown) run.memo.markDown(server, error);
        return { kind: 'ended', ended: error };
      }
    }, signal);
  }
}
