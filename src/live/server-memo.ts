import type { ProbeEnded } from './connect';
import type { Outcome } from './probers';
import type { Resolved } from './address-resolution';

/**
 * What one live check remembers between its targets, and forgets afterwards (a long-running
 * collector checks again, with fresh DNS, every time it verifies): each host's addresses, one
 * outcome per (kind, server, name), the servers found down (every later target behind them gets the
 * same, unasked), and one connection per server at a time.
 */
export class ServerMemo {
  private readonly addresses = new Map<string, Promise<Resolved>>();
  private readonly outcomes = new Map<string, Promise<Outcome>>();
  private readonly down = new Map<string, ProbeEnded>();
  /** Tails of the per-server queues: a new connection waits for the one before it. */
  private readonly queues = new Map<string, Promise<unknown>>();

  /** A host's addresses, resolved once per check. */
  addressesOf(host: string, resolve: () => Promise<Resolved>): Promise<Resolved> {
    let pending = this.addresses.get(host);
    if (!pending) {
      pending = resolve();
      this.addresses.set(host, pending);
    }
    return pending;
  }

  /** The outcome of contacting `server` under `key`, contacted once per check, after any earlier connection to it. */
  outcomeOf(key: string, server: string, contact: () => Promise<Outcome>): Promise<Outcome> {
    let outcome = this.outcomes.get(key);
    if (!outcome) {
      const before = this.queues.get(server) ?? Promise.resolve();
      outcome = before.then(contact, contact);
      this.queues.set(
        server,
        outcome.catch(() => undefined),
      );
      this.outcomes.set(key, outcome);
    }
    return outcome;
  }

  /** Why a server was found down in this check, if it was. */
  downReason(server: string): ProbeEnded | undefined {
    return this.down.get(server);
  }

  /** Remembers a server that refused or never spoke. */
  markDown(server: string, ended: ProbeEnded): void {
    this.down.set(server, ended);
  }
}
