import { parseDomain, type NormalisedDomain } from '../../src/core/address';
import { failedLookups, type DomainVerdict } from '../../src/core/verdict';
import type { Zone } from './doh-server';
import type { FixtureContact, FixtureMailbox } from './graph-server';

/** What the zone says of domain number i: a third Lync-federated, a fifth XMPP, a quarter Microsoft 365 tenants. */
export function expectedOf(i: number): { lync: boolean; xmpp: boolean; tenant: boolean } {
  return { lync: i % 3 === 0, xmpp: i % 5 === 0, tenant: i % 4 === 0 };
}

/** The benchmark's zone: `d<i>.bench.test` for i < count, with records as {@link expectedOf} says. */
export function benchZone(count: number, prefix = ''): { zone: Zone; domains: NormalisedDomain[] } {
  const zone: Zone = {};
  const domains: NormalisedDomain[] = [];
  for (let i = 0; i < count; i += 1) {
    const name = `${prefix}d${i}.bench.test`;
    const parsed = parseDomain(name);
    if (!parsed.ok) throw new Error(parsed.reason);
    domains.push(parsed);
    const want = expectedOf(i);
    if (want.lync)
      zone[`_sipfederationtls._tcp.${name}`] = { SRV: [{ target: 'sipfed.online.lync.com', port: 5061 }] };
    if (want.xmpp) zone[`_xmpp-server._tcp.${name}`] = { SRV: [{ target: `xmpp.${name}`, port: 5269 }] };
    if (want.tenant) zone[name] = { MX: [{ exchange: `d${i}.mail.protection.outlook.com`, preference: 0 }] };
  }
  return { zone, domains };
}

/** Verdicts that disagree with the zone, carry an error, or are missing: "no answer lost" means zero. */
export function countLost(verdicts: readonly DomainVerdict[], expectedCount: number): number {
  let bad = 0;
  for (const verdict of verdicts) {
    const i = Number(/^(?:[a-z]+-)?d(\d+)\./.exec(verdict.domain)?.[1]);
    const want = expectedOf(i);
    const errors = failedLookups(verdict);
    if (
      errors > 0 ||
      verdict.lync.federation !== want.lync ||
      verdict.xmpp.federation !== want.xmpp ||
      verdict.microsoft365.tenant !== want.tenant
    ) {
      bad += 1;
    }
  }
  return bad + (expectedCount - verdicts.length);
}

/**
 * A mailbox of `contacts` people spread over the first `domains` domains of {@link benchZone}, in
 * three folders (one nested), for scale tests and the pane benchmark.
 */
export function generatedMailbox(contacts: number, domains: number, prefix = ''): FixtureMailbox {
  const person = (i: number): FixtureContact => ({
    id: `p${i}`,
    displayName: `Person ${String(i).padStart(5, '0')}`,
    emailAddresses: [{ address: `person${i}@${prefix}d${i % domains}.bench.test` }],
  });
  const all = Array.from({ length: contacts }, (_, i) => person(i));
  const third = Math.floor(contacts / 3);
  return {
    contacts: all.slice(0, third),
    folders: [
      {
        id: 'work',
        displayName: 'Work',
        contacts: all.slice(third, 2 * third),
        childFolders: [{ id: 'work-partners', displayName: 'Partners', contacts: all.slice(2 * third) }],
      },
    ],
  };
}
