import { createHmac, randomBytes } from 'node:crypto';

/**
 * Turns a client address into a rate-limit key that cannot be turned back: an HMAC under a random
 * key that lives in memory only and is replaced at every UTC day change. Yesterday's keys cannot
 * be recomputed by anyone, this process included, so even a memory dump links nothing across days.
 */
export class DailyAddressKey {
  private day = '';
  private secret: Buffer = Buffer.alloc(0);

  constructor(private readonly now: () => number = Date.now) {}

  keyOf(address: string): string {
    const day = new Date(this.now()).toISOString().slice(0, 10);
    if (day !== this.day) {
      this.day = day;
      this.secret = randomBytes(32);
    }
    return createHmac('sha256', this.secret).update(address).digest('base64url');
  }
}
