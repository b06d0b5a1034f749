import type { NormalisedDomain } from '../../core/address';
import type { ProbeId } from '../../core/probes';
import type { DomainVerdict } from '../../core/verdict';
import { flushInterval, scheduleDraws } from '../draw-schedule';
import type { PaneServices } from '../services';
import { ExternalStore } from './external-store';

export interface CheckProgress {
  /** Domains with an answer from this check (the records that decide it are in): what the screen shows. */
  done: number;
  total: number;
  /** Domains answered whose details are still coming. */
  detailsLeft: number;
  /**
   * Of those, the ones answered "No" so far: their Microsoft 365 evidence, still coming, may yet
   * make them "Likely via Teams".
   */
  noLeft: number;
  /** Near the end (at most 3 left), the domains still waited for, to name them. */
  waitingFor: string[];
  /** The DNS service was found unreachable: the rest are "Unknown" at once (see the DoH client's health check). */
  dnsUnreachable?: boolean;
}

export interface FederationCheck {
  verdicts: ReadonlyMap<string, DomainVerdict>;
  /** Set while a check runs. */
  progress: CheckProgress | undefined;
  /** Domains with an answer on screen whose details are still being asked: that answer may yet change. */
  stillChecking: ReadonlySet<string>;
  /**
   * After a stopped check, the domains answered "No" whose Microsoft 365 evidence never came: not a
   * final "No". Emptied by the next check, and domain by domain as {@link complete} fills them in.
   */
  unfinished: ReadonlySet<string>;
  /** Set when the last check was stopped before the end. */
  stopped: CheckProgress | undefined;
  /** The last (or running) check found the DNS service unreachable: said at once, until the next check. */
  dnsUnreachable: boolean;
  /**
   * Checks domains; `merge` keeps the verdicts of other domains (for "Retry unknown"), `refresh`
   * ignores cached answers and keeps the previous answers on screen until new ones replace them
   * (so a Cancel keeps them). Resolves with the verdicts when done, or undefined when stopped.
   */
  run(
    domains: readonly NormalisedDomain[],
    options?: RunOptions,
  ): Promise<ReadonlyMap<string, DomainVerdict> | undefined>;
  cancel(): void;
  /**
   * Resolves when the check under way (if any) has ended, every detail in, or was stopped, with
   * the verdicts as they then are (not waiting for a render).
   */
  settled(): Promise<{ stopped: boolean; verdicts: ReadonlyMap<string, DomainVerdict> }>;
  /**
   * Asks the informational records (client access, Matrix, Cisco…) of these domains, which the
   * pane's check leaves out, beside any check under way; each verdict replaces the one on screen.
   * For a person's details and an export. Resolves when they are in.
   */
  complete(
    domains: readonly NormalisedDomain[],
    records?: readonly ProbeId[],
  ): Promise<ReadonlyMap<string, DomainVerdict>>;
}

export interface RunOptions {
  /** Keep the verdicts of other domains ("Retry unknown"). */
  merge?: boolean;
  /** Ignore cached answers, keeping the previous answers on screen until new ones replace them. */
  refresh?: boolean;
  /** Ask every domain's informational records too ("Thorough check"). */
  informational?: boolean;
  /** Called once, when every domain's answer is on screen (the details may still be coming). */
  onAnswers?: () => void;
}

/**
 * Takes `gone` out of a set of domains: the same set when none of them is in it, so that React skips
 * the render.
 */
function without(gone: readonly string[]) {
  return (before: ReadonlySet<string>): ReadonlySet<string> => {
    if (!gone.some((domain) => before.has(domain))) return before;
    const after = new Set(before);
    for (const domain of gone) after.delete(domain);
    return after;
  };
}

/**
 * Runs the lookup for the pane, drawing verdicts as they arrive (partial ones first) and progress:
 * the check's state, outside React (see {@link ExternalStore}).
 */
export class FederationCheckSession extends ExternalStore<FederationCheck> {
  /** The verdicts as they are now, ahead of the snapshot (which is redrawn on a schedule). */
  private current: ReadonlyMap<string, DomainVerdict> = new Map();
  private abort: AbortController | undefined;
  /** The check under way: resolves once it has ended (its last verdicts drawn), with whether it was stopped. */
  private running: Promise<{ stopped: boolean }> = Promise.resolve({ stopped: false });
  /** Verdicts {@link complete} filled in: a check under way does not draw over them. */
  private readonly completed = new Map<string, DomainVerdict>();

  constructor(private readonly services: Pick<PaneServices, 'lookup'>) {
    super({
      verdicts: new Map(),
      progress: undefined,
      stillChecking: new Set(),
      unfinished: new Set(),
      stopped: undefined,
      dnsUnreachable: false,
      run: (domains, options) => this.run(domains, options),
      cancel: () => this.cancel(),
      settled: () => this.settled(),
      complete: (domains, records) => this.complete(domains, records),
    });
  }

  /** Stops the check under way (the pane is closing). */
  stop(): void {
    this.abort?.abort();
  }

  async run(
    domains: readonly NormalisedDomain[],
    options: RunOptions = {},
  ): Promise<ReadonlyMap<string, DomainVerdict> | undefined> {
    this.abort?.abort();
    const controller = new AbortController();
    this.abort = controller;
    const keep = options.merge || options.refresh;
    const collected = new Map<string, DomainVerdict>(keep ? this.current : []);
    const asked = new Set(domains.map((d) => d.domain));
    const answered = new Set<string>();
    const complete = new Set<string>();
    const state: CheckProgress = { done: 0, total: asked.size, detailsLeft: 0, noLeft: 0, waitingFor: [] };
    const note = (verdict: DomainVerdict): void => {
      collected.set(verdict.domain, verdict);
      answered.add(verdict.domain);
      // The last answer is drawn at once, not at the interval's next tick.
      if (answered.size === state.total) draws.now();
    };
    const noteComplete = (verdict: DomainVerdict): void => {
      note(verdict);
      complete.add(verdict.domain);
    };
    if (options.refresh) this.completed.clear();
    let answersTold = false;
    /** Answered "No", evidence still to come: kept when the check is stopped. */
    const unsettledNo = new Set<string>();
    const flush = (): void => {
      const drawn = new Map(collected);
      for (const [domain, verdict] of this.completed) {
        const ours = drawn.get(domain);
        if (!ours || Object.keys(ours.records).length <= Object.keys(verdict.records).length)
          drawn.set(domain, verdict);
      }
      this.current = drawn;
      state.done = answered.size;
      state.detailsLeft = answered.size - complete.size;
      const unsettled = new Set<string>();
      unsettledNo.clear();
      for (const domain of answered) {
        if (complete.has(domain) || this.completed.has(domain)) continue;
        unsettled.add(domain);
        if (drawn.get(domain)?.answer === 'no') unsettledNo.add(domain);
      }
      state.noLeft = unsettledNo.size;
      const left = state.total - state.done;
      state.waitingFor = left > 0 && left <= 3 ? [...asked].filter((domain) => !answered.has(domain)) : [];
      if (this.abort === controller) {
        this.set({ verdicts: drawn, progress: { ...state }, stillChecking: unsettled });
      } else {
        this.set({ verdicts: drawn });
      }
      if (!answersTold && state.done === state.total && !controller.signal.aborted) {
        answersTold = true;
        options.onAnswers?.();
      }
    };
    this.set({ stopped: undefined, unfinished: new Set(), dnsUnreachable: false });
    flush();
    const draws = scheduleDraws(flush, flushInterval(domains.length));
    let ended: (outcome: { stopped: boolean }) => void = () => undefined;
    this.running = new Promise((resolve) => (ended = resolve));
    let wasStopped = false;
    try {
      const lookup = await this.services.lookup();
      await lookup.checkDomains(domains, {
        signal: controller.signal,
        refresh: options.refresh,
        informational: options.informational,
        onPartial: note,
        onVerdict: noteComplete,
        onProgress: (lookupProgress) => {
          if (!lookupProgress.resolverUnreachable || state.dnsUnreachable) return;
          state.dnsUnreachable = true;
          if (this.abort === controller) this.set({ dnsUnreachable: true });
          draws.now();
        },
      });
    } catch (error) {
      if (!controller.signal.aborted) throw error;
      wasStopped = true;
      return undefined;
    } finally {
      draws.stop();
      flush();
      ended({ stopped: wasStopped });
      // Stopped by the person (not replaced by a newer check): say what is missing.
      if (this.abort === controller) {
        this.set({
          ...(wasStopped
            ? {
                stopped: {
                  done: answered.size,
                  total: state.total,
                  detailsLeft: 0,
                  noLeft: unsettledNo.size,
                  waitingFor: [],
                },
                unfinished: new Set(unsettledNo),
              }
            : {}),
          progress: undefined,
          stillChecking: new Set(),
        });
        this.abort = undefined;
      }
    }
    return this.current;
  }

  cancel(): void {
    this.abort?.abort(new DOMException('Stopped by the user', 'AbortError'));
  }

  settled(): Promise<{ stopped: boolean; verdicts: ReadonlyMap<string, DomainVerdict> }> {
    return this.running.then((outcome) => ({ ...outcome, verdicts: this.current }));
  }

  async complete(
    domains: readonly NormalisedDomain[],
    records?: readonly ProbeId[],
  ): Promise<ReadonlyMap<string, DomainVerdict>> {
    if (domains.length === 0) return this.current;
    // An unfinished "No" being finished is being checked again: it says so until this ends, and
    // goes back to "not final" (not "still checking" for ever) if it fails.
    const unfinished = this.getSnapshot().unfinished;
    const resumed = domains.map((d) => d.domain).filter((domain) => unfinished.has(domain));
    if (resumed.length > 0)
      this.set({ stillChecking: new Set([...this.getSnapshot().stillChecking, ...resumed]) });
    const fresh: DomainVerdict[] = [];
    try {
      const lookup = await this.services.lookup();
      await lookup.checkDomains(domains, {
        informational: records ?? true,
        onVerdict: (v) => fresh.push(v),
      });
    } finally {
      this.set({ stillChecking: without(resumed)(this.getSnapshot().stillChecking) });
    }
    const merged = new Map(this.current);
    for (const verdict of fresh) {
      merged.set(verdict.domain, verdict);
      this.completed.set(verdict.domain, verdict);
    }
    this.current = merged;
    const settled = fresh.map((verdict) => verdict.domain);
    const now = this.getSnapshot();
    this.set({
      verdicts: merged,
      stillChecking: without(settled)(now.stillChecking),
      unfinished: without(settled)(now.unfinished),
    });
    return merged;
  }
}
