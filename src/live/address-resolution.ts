import { interpretAddresses } from '../dns/answer';
import { DnsError } from '../dns/errors';
import type { DnsQuerier } from '../dns/querier';
import type { AddressPolicy } from './address-policy';
import { Deadline, DeadlineExceeded } from './deadline';

/** A target host's addresses, or why there are none (`lookupFailed`: unknown, not "no address"). */
export type Resolved =
  { addresses: string[] } | { addresses?: undefined; detail: string; lookupFailed: boolean };

/**
 * A target host's addresses: A and AAAA at once, over the lookup's own resolvers, within one time
 * limit of our own. Never rejects for DNS trouble (that is `lookupFailed`), only when `signal` aborts.
 */
export async function resolveAddresses(
  resolver: DnsQuerier,
  host: string,
  ms: number,
  signal?: AbortSignal,
): Promise<Resolved> {
  const deadline = new Deadline(ms, signal);
  try {
    const answers = await Promise.all(
      (['A', 'AAAA'] as const).map(async (type) => {
        try {
          const answer = interpretAddresses(await resolver.query(host, type, deadline.signal), host, type);
          if (answer.status === 'found') return { addresses: answer.addresses };
          return answer.status === 'error' ? { failure: answer.error ?? 'lookup failed' } : {};
        } catch (error) {
          if (signal?.aborted) throw signal.reason;
          if (deadline.signal.reason instanceof DeadlineExceeded)
            return { failure: `no answer within ${ms} ms` };
          if (!(error instanceof DnsError)) throw error;
          return { failure: error.message };
        }
      }),
    );
    const addresses = answers.flatMap((answer) => ('addresses' in answer ? (answer.addresses ?? []) : []));
    if (addresses.length > 0) return { addresses };
    const failure = answers.map((answer) => ('failure' in answer ? answer.failure : undefined)).find(Boolean);
    return failure
      ? { detail: `the address lookup failed: ${failure}`, lookupFailed: true }
      : { detail: `${host} has no address (A or AAAA)`, lookupFailed: false };
  } finally {
    deadline.dispose();
  }
}

/** The first address the policy allows, in the order given (IPv4 before IPv6), or why none is. */
export function firstAllowed(
  policy: AddressPolicy,
  addresses: readonly string[],
): { ok: string } | { blocked: string } {
  let reason: string | undefined;
  for (const address of addresses) {
    const verdict = policy.checkAddress(address);
    if (verdict.allowed) return { ok: address };
    reason ??= verdict.reason;
  }
  return { blocked: `not contacted: ${reason ?? 'no usable address'}` };
}
