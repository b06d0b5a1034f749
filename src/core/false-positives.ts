import type { ProbeId, RecordResult } from './types';

/**
 * A record that is published but known not to mean what it says: matched by the domain that owns it,
 * or by where its targets point (so every domain that followed the same old instructions is caught).
 */
export interface FalsePositiveRule {
  id: string;
  /** Domains whose own records of these probes are false positives, whatever they point at. */
  domains?: readonly string[];
  /** Target host suffixes: a record whose every target ends in one of these is a false positive. */
  targetSuffixes?: readonly string[];
  probes: readonly ProbeId[];
  /** Said beside the verdict, for people. */
  note: string;
  /** Where the rule comes from. */
  source: string;
}

const XMPP_PROBES: readonly ProbeId[] = [
  '_xmpp-server._tcp',
  '_xmpps-server._tcp',
  '_xmpp-client._tcp',
  '_xmpps-client._tcp',
];

// Google Talk was replaced by Hangouts (2013), which does not speak XMPP; its federation was
// switched off in 2017.
const GOOGLE_TALK_ENDED = 'Google ended XMPP federation in 2017';

/** Every known false positive, one table, with its source. */
export const FALSE_POSITIVES: readonly FalsePositiveRule[] = [
  {
    id: 'google-talk-own-domains',
    domains: ['gmail.com', 'googlemail.com', 'google.com'],
    probes: XMPP_PROBES,
    note: `${GOOGLE_TALK_ENDED}; its XMPP SRV records are not counted`,
    source: 'https://developers.google.com/talk/jep_extensions/jid_domain_change',
  },
  {
    // Google Apps told its customers to point their XMPP SRV records at Google Talk's servers
    // (xmpp-server.l.google.com, alt1…alt4.xmpp-server.l.google.com, talk.l.google.com); many still do.
    id: 'google-talk-targets',
    targetSuffixes: ['.l.google.com', '.talk.google.com'],
    probes: XMPP_PROBES,
    note: `${GOOGLE_TALK_ENDED}; XMPP records pointing at Google Talk are not counted`,
    source: 'http://blog.schertz.name/2010/05/ocs-r2-xmpp-gateway-deployment-for-gmail/',
  },
];

function endsWithAny(host: string, suffixes: readonly string[]): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return suffixes.some((suffix) => name.endsWith(suffix) || name === suffix.slice(1));
}

/**
 * The rule that makes this found record a false positive, if any. A record with one target of its
 * own beside Google's still counts: something may answer there.
 */
export function falsePositiveOf(
  domain: string,
  probe: ProbeId,
  record: RecordResult | undefined,
): FalsePositiveRule | undefined {
  if (record?.status !== 'found') return undefined;
  return FALSE_POSITIVES.find(
    (rule) =>
      rule.probes.includes(probe) &&
      ((rule.domains?.includes(domain) ?? false) ||
        (rule.targetSuffixes !== undefined &&
          record.targets.length > 0 &&
          record.targets.every((target) => endsWithAny(target.target, rule.targetSuffixes ?? [])))),
  );
}
