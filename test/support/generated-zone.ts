import { parseDomain, type NormalisedDomain } from '../../src/core/address';
import { failedLookups, type DomainVerdict } from '../../src/core/verdict';
import { PROBES, questionName, type Probe } from '../../src/core/probes';
import type { RecordResult } from '../../src/core/records';
import type { Zone } from './doh-server';

const PROBE_PREFIXES = PROBES.map((p) => p.prefix).filter((prefix) => prefix !== '');
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
      // A SIP federation record on Microsoft's edge is tenant evidence too.
      verdict.microsoft365.tenant !== (want.tenant || want.lync)
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

/** What kind of domain number i is in {@link realisticZone}: the mix issue 16 measured on. */
export type DomainKind = 'sip' | 'microsoft365' | 'xmpp' | 'consumer' | 'failing' | 'nothing';

/** Per 100 domains: 20 with SIP federation, 25 Microsoft 365 MX without SIP, 5 XMPP, 5 consumer, 2 failing. */
export function kindOf(i: number): DomainKind {
  const r = i % 100;
  if (r < 20) return 'sip';
  if (r < 45) return 'microsoft365';
  if (r < 50) return 'xmpp';
  if (r < 55) return 'consumer';
  if (r < 57) return 'failing';
  return 'nothing';
}

/**
 * A zone with a realistic mix ({@link kindOf}), and a mailbox of `contacts` people over its
 * `count` domains. Consumer domains are real consumer providers' names (from the list the pane
 * uses), with no records; failing ones answer SERVFAIL to every question.
 */
export function realisticZone(
  count: number,
  contacts: number,
  consumerNames: readonly string[],
): { zone: Zone; domains: string[]; mailbox: FixtureMailbox } {
  const zone: Zone = {};
  const domains: string[] = [];
  let consumer = 0;
  for (let i = 0; i < count; i += 1) {
    const kind = kindOf(i);
    const name = kind === 'consumer' ? (consumerNames[consumer++] as string) : `r${i}.mix.test`;
    domains.push(name);
    if (kind === 'sip') {
      zone[`_sipfederationtls._tcp.${name}`] = { SRV: [{ target: 'sipfed.online.lync.com', port: 5061 }] };
      zone[`_sip._tls.${name}`] = { SRV: [{ target: 'sipdir.online.lync.com', port: 443 }] };
      zone[name] = { MX: [{ exchange: `r${i}.mail.protection.outlook.com`, preference: 0 }] };
    } else if (kind === 'microsoft365') {
      zone[name] = { MX: [{ exchange: `r${i}.mail.protection.outlook.com`, preference: 0 }] };
    } else if (kind === 'xmpp') {
      zone[`_xmpp-server._tcp.${name}`] = { SRV: [{ target: `xmpp.${name}`, port: 5269 }] };
      zone[`_xmpp-client._tcp.${name}`] = { SRV: [{ target: `xmpp.${name}`, port: 5222 }] };
      zone[name] = { MX: [{ exchange: `mx.${name}`, preference: 10 }] };
    } else if (kind === 'failing') {
      for (const prefix of ['', ...PROBE_PREFIXES])
        zone[prefix ? `${prefix}.${name}` : name] = { rcode: 'SERVFAIL' };
    } else if (kind === 'nothing') {
      zone[name] = { MX: [{ exchange: `mx.${name}`, preference: 10 }] };
    }
  }
  const person = (i: number): FixtureContact => ({
    id: `m${i}`,
    displayName: `Person ${String(i).padStart(5, '0')}`,
    emailAddresses: [{ address: `person${i}@${domains[i % count]}` }],
  });
  const all = Array.from({ length: contacts }, (_, i) => person(i));
  return { zone, domains, mailbox: { contacts: all, folders: [] } };
}

/** What a zone answers to one probe of a domain, as the lookup reads it (no CNAME chains): for tests that walk the plan. */
export function zoneRecord(zone: Zone, probe: Probe, domain: string): RecordResult {
  const fixture = zone[questionName(probe, domain)];
  if (fixture?.rcode) return { status: 'error', targets: [], error: fixture.rcode };
  const targets =
    probe.type === 'SRV'
      ? (fixture?.SRV ?? []).map((r) => ({ target: r.target, port: r.port, priority: 0, weight: 0 }))
      : probe.type === 'MX'
        ? (fixture?.MX ?? []).map((r) => ({ target: r.exchange, port: 25, priority: 0, weight: 0 }))
        : probe.type === 'CNAME' && fixture?.CNAME
          ? [{ target: fixture.CNAME, port: 0, priority: 0, weight: 0 }]
          : [];
  if (probe.type === 'TXT' && (fixture?.TXT?.length ?? 0) > 0)
    return { status: 'found', targets: [], texts: fixture?.TXT ?? [] };
  return targets.length > 0 ? { status: 'found', targets } : { status: 'none', targets: [] };
}
