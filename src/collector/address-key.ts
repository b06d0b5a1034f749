import { createHmac, randomBytes } from 'node:crypto';
import { utcDay } from './utc-day';

/**
 * Turns a client address into a rate-limit key that cannot be turned back: an HMAC under a key that
 * is replaced at every UTC day change.
 *
 * - Alone (no shared secret), the day's key is random and lives in this process's memory only:
 *   yesterday's keys cannot be recomputed by anyone, this process included, so even a memory dump
 *   links nothing across days.
 * - With a shared secret (`WCF_ADDRESS_KEY_SECRET`, the same on every instance, never stored), the
 *   day's key is derived from it and the day, so every instance on one database keys an address
 *   alike and their limits add up. Whoever holds the secret can recompute a day's keys; the
 *   database alone cannot.
 */
export class DailyAddressKey {
  private day = '';
  private secret: Buffer = Buffer.alloc(0);

  constructor(
    private readonly now: () => number = Date.now,
    private readonly sharedSecret?: string,
  ) {}

  /** Whether every instance given the same secret keys addresses alike. */
  get shared(): boolean {
    return this.sharedSecret !== undefined;
  }

  /** Each request's key, computed once (the rate limit and the route both ask), forgotten with the request. */
  private readonly requests = new WeakMap<object, string>();

  /** The key of the address a request came from. */
  keyOfRequest(request: { readonly ip: string }): string {
    let key = this.requests.get(request);
    if (key === undefined) this.requests.set(request, (key = this.keyOf(request.ip)));
    return key;
  }

  keyOf(address: string): string {
    const day = utcDay(this.now());
    if (day !== this.day) {
      this.day = day;
      this.secret =
        this.sharedSecret === undefined
          ? randomBytes(32)
          : createHmac('sha256', this.sharedSecret).update(`who-can-federate address key ${day}`).digest();
    }
    return createHmac('sha256', this.secret).update(address).digest('base64url');
  }
}
