import { LIVE_PROBES, type LiveResult } from '../core/live';
import type { ProbeId } from '../core/probes';
import type { RecordResult, Target } from '../core/records';
import { buildVerdict, type DomainVerdict } from '../core/verdict';
import { interpretAddresses } from '../dns/answer';
import { DohError } from '../dns/errors';
import { Limiter } from '../dns/limiter';
import type { DnsQuerier } from '../dns/lookup';
import { ProbeEnded } from './connect';
import { tlsHandshake, withNameMatch, type Certificate } from './tls-probe';
import { xmppGreeting } from './xmpp-probe';

export interface LiveCheckerOptions {
  /** The DNS client the lookup used: target hosts are resolved over the same resolvers. */
  resolver: DnsQuerier;
  /** Targets contacted at once (default 16). */
  concurrency?: number;
  /** Time allowed for one target: connect, handshake or greeting (default 4 s). */
  timeoutMs?: number;
}

export interface LiveProgress {
  done: number;
  total: number;
}

interface Resolved {
  address?: string;
  detail?: string;
  lookupFailed?: boolean;
}

/** What one `check()` shares between its targets. */
interface Run {
  addresses: Map<string, Promise<Resolved>>;
  handshakes: Map<string, Promise<Certificate>>;
}

interface Job {
  verdict: number;
  probe: ProbeId;
  target: number;
}

/**
 * Contacts the servers behind the records a lookup found, to tell a live edge from a record left
 * behind. Each target host is resolved once (A, then AAAA, over the lookup's own resolvers); each
 * server gets at most one connection at a time, and the same SIP edge (Microsoft's, shared by
 * every Microsoft 365 tenant) one handshake per run; nothing is retried, and nothing is sent beyond
 * the protocol's greeting.
 */
export class LiveChecker {
  private readonly resolver: DnsQuerier;
  private readonly limiter: Limiter;
  private readonly timeoutMs: number;
  /** The tail of each server's queue: a new connection waits for the one before it. */
  private readonly serverQueues = new Map<string, Promise<unknown>>();

  constructor(options: LiveCheckerOptions) {
    this.resolver = options.resolver;
    this.limiter = new Limiter(options.concurrency ?? 16);
    this.timeoutMs = options.timeoutMs ?? 4000;
  }

  /** The verdicts again, each found target with its `live` result and the verdicts' live tri-states. */
  async check(
    verdicts: readonly DomainVerdict[],
    options: { signal?: AbortSignal; onProgress?: (progress: LiveProgress) => void } = {},
  ): Promise<DomainVerdict[]> {
    const copies = verdicts.map((verdict) => structuredClone(verdict.records));
    const jobs: Job[] = [];
    copies.forEach((records, verdict) => {
      for (const probe of Object.keys(LIVE_PROBES) as ProbeId[]) {
        const record = records[probe];
        if (record?.status !== 'found') continue;
        record.targets.forEach((_, target) => jobs.push({ verdict, probe, target }));
      }
    });
    // Addresses and shared handshakes are remembered for this run only: a long-running collector
    // checks again, with fresh DNS, every time it verifies.
    const run: Run = { addresses: new Map(), handshakes: new Map() };
    const progress: LiveProgress = { done: 0, total: jobs.length };
    options.onProgress?.({ ...progress });
    await Promise.all(
      jobs.map((job) =>
        this.limiter.run(async () => {
          const verdict = verdicts[job.verdict] as DomainVerdict;
          const record = (copies[job.verdict] as Partial<Record<ProbeId, RecordResult>>)[
            job.probe
          ] as RecordResult;
          const target = record.targets[job.target] as Target;
          target.live = await this.checkTarget(run, verdict.domain, job.probe, target, options.signal);
          progress.done += 1;
          options.onProgress?.({ ...progress });
        }, options.signal),
      ),
    );
    return verdicts.map((verdict, i) =>
      buildVerdict({ domain: verdict.domain, displayDomain: verdict.displayDomain }, copies[i] ?? {}),
    );
  }

  private resolve(run: Run, host: string, signal?: AbortSignal): Promise<Resolved> {
    let pending = run.addresses.get(host);
    if (!pending) {
      pending = this.resolveNow(host, signal);
      run.addresses.set(host, pending);
    }
    return pending;
  }

  private async resolveNow(host: string, signal?: AbortSignal): Promise<Resolved> {
    const failures: string[] = [];
    for (const type of ['A', 'AAAA'] as const) {
      try {
        const answer = interpretAddresses(await this.resolver.query(host, type, signal), host, type);
        if (answer.status === 'found') return { address: answer.addresses[0] };
        if (answer.status === 'error') failures.push(answer.error ?? 'lookup failed');
      } catch (error) {
        if (!(error instanceof DohError)) throw error;
        failures.push(error.message);
      }
    }
    return failures.length > 0
      ? { lookupFailed: true, detail: `the address lookup failed: ${failures[0]}` }
      : { detail: `${host} has no address (A or AAAA)` };
  }

  /** Runs `task` after every earlier connection to the same server has finished. */
  private oneAtATime<T>(server: string, task: () => Promise<T>): Promise<T> {
    const before = this.serverQueues.get(server) ?? Promise.resolve();
    const run = before.then(task, task);
    const tail = run.catch(() => undefined);
    this.serverQueues.set(server, tail);
    void tail.then(() => {
      if (this.serverQueues.get(server) === tail) this.serverQueues.delete(server);
    });
    return run;
  }

  private async checkTarget(
    run: Run,
    domain: string,
    probe: ProbeId,
    target: Target,
    signal?: AbortSignal,
  ): Promise<LiveResult> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const resolved = await this.resolve(run, target.target, signal);
    if (!resolved.address) {
      return {
        status: 'unresolved',
        ms: elapsed(),
        detail: resolved.detail,
        ...(resolved.lookupFailed ? { lookupFailed: true } : {}),
      };
    }
    const address = resolved.address;
    const server = `${address.includes(':') ? `[${address}]` : address}:${target.port}`;
    const kind = LIVE_PROBES[probe];
    const names = [target.target, domain];
    try {
      if (kind === 'tls' || kind === 'xmpps-server' || kind === 'xmpps-client') {
        // SIP edges are named by SNI for the target (one handshake serves every domain behind it);
        // direct-TLS XMPP servers for the XMPP domain (XEP-0368).
        const servername = kind === 'tls' ? target.target : domain;
        const alpn = kind === 'tls' ? undefined : kind === 'xmpps-server' ? 'xmpp-server' : 'xmpp-client';
        const key = `${server} ${servername} ${alpn ?? ''}`;
        let handshake = run.handshakes.get(key);
        if (!handshake) {
          handshake = this.oneAtATime(server, () =>
            tlsHandshake({ address, port: target.port, servername, alpn, deadline: this.deadline(signal) }),
          );
          run.handshakes.set(key, handshake);
        }
        const certificate = await handshake;
        return { status: 'answering', ms: elapsed(), address, tls: withNameMatch(certificate, names) };
      }
      const greeting = await this.oneAtATime(server, () =>
        xmppGreeting({
          address,
          port: target.port,
          domain,
          namespace: kind === 'xmpp-server' ? 'jabber:server' : 'jabber:client',
          deadline: this.deadline(signal),
        }),
      );
      return {
        status: 'answering',
        ms: elapsed(),
        address,
        starttls: greeting.starttls,
        ...(greeting.streamError ? { detail: `stream error: ${greeting.streamError}` } : {}),
      };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (!(error instanceof ProbeEnded)) throw error;
      return { status: error.status, ms: elapsed(), address, detail: error.message };
    }
  }

  /** The time allowed for one target, cut short if the whole run is cancelled. */
  private deadline(signal?: AbortSignal): AbortSignal {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    return signal ? AbortSignal.any([timeout, signal]) : timeout;
  }
}
