import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** The two kinds of server a live check contacts, each with its own port allow-list. */
export type LiveService = 'sip' | 'xmpp';

/**
 * Ports each service really uses: SIP federation edges listen on 5061 (Microsoft 365: 5061; some
 * on-premises edges 443); XMPP on 5222/5269 (RFC 6120), 5223/5270 (XEP-0368 direct TLS) and 443.
 */
export const DEFAULT_LIVE_PORTS: Readonly<Record<LiveService, readonly number[]>> = {
  sip: [5061, 443],
  xmpp: [5222, 5223, 5269, 5270, 443],
};

/** Every port allowed (`*`): only with the private opt-in, for tests whose servers listen on random ports. */
export type PortList = readonly number[] | 'any';

export interface AddressPolicyOptions {
  /**
   * Allow loopback, private and other special-purpose addresses (`--live-allow-private`,
   * `WCF_LIVE_ALLOW_PRIVATE=true`): for the project's tests and private deployments only.
   */
  allowPrivate?: boolean;
  /** Ports per service; {@link DEFAULT_LIVE_PORTS} for any service not given. */
  ports?: Partial<Record<LiveService, PortList>>;
}

/** Why a target may not be contacted, or `undefined` when it may. */
export type PolicyVerdict = { allowed: true } | { allowed: false; reason: string };

/*
 * Special-purpose address blocks (IANA IPv4 and IPv6 Special-Purpose Address Registries, RFC 6890
 * and successors). Nothing a live check meets in public DNS has a reason to point there, and a
 * report that does is trying to make us talk to our own network.
 */
const IPV4_SPECIAL: readonly [string, number, string][] = [
  ['0.0.0.0', 8, '"this network" (0.0.0.0/8)'],
  ['10.0.0.0', 8, 'a private address (10.0.0.0/8)'],
  ['100.64.0.0', 10, 'a shared carrier-grade NAT address (100.64.0.0/10)'],
  ['127.0.0.0', 8, 'a loopback address (127.0.0.0/8)'],
  ['169.254.0.0', 16, 'a link-local address (169.254.0.0/16)'],
  ['172.16.0.0', 12, 'a private address (172.16.0.0/12)'],
  ['192.0.0.0', 24, 'an IETF protocol address (192.0.0.0/24)'],
  ['192.0.2.0', 24, 'a documentation address (192.0.2.0/24)'],
  ['192.88.99.0', 24, 'a 6to4 relay address (192.88.99.0/24)'],
  ['192.168.0.0', 16, 'a private address (192.168.0.0/16)'],
  ['198.18.0.0', 15, 'a benchmarking address (198.18.0.0/15)'],
  ['198.51.100.0', 24, 'a documentation address (198.51.100.0/24)'],
  ['203.0.113.0', 24, 'a documentation address (203.0.113.0/24)'],
  ['224.0.0.0', 4, 'a multicast address (224.0.0.0/4)'],
  ['240.0.0.0', 4, 'a reserved address (240.0.0.0/4)'],
];

const IPV6_SPECIAL: readonly [string, number, string][] = [
  ['::', 96, 'an unspecified, loopback or IPv4-compatible address (::/96)'],
  ['64:ff9b:1::', 48, 'a local-use NAT64 address (64:ff9b:1::/48)'],
  ['100::', 64, 'a discard-only address (100::/64)'],
  ['2001::', 23, 'an IETF protocol address (2001::/23)'],
  ['2001:db8::', 32, 'a documentation address (2001:db8::/32)'],
  ['fc00::', 7, 'a unique-local (private) address (fc00::/7)'],
  ['fe80::', 10, 'a link-local address (fe80::/10)'],
  ['fec0::', 10, 'a site-local address (fec0::/10)'],
  ['ff00::', 8, 'a multicast address (ff00::/8)'],
];

function blockListOf(entries: readonly [string, number, string][], family: 'ipv4' | 'ipv6'): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of entries) list.addSubnet(network, prefix, family);
  return list;
}

const IPV4_BLOCKS = IPV4_SPECIAL.map(([network, prefix, reason]) => ({
  list: blockListOf([[network, prefix, reason]], 'ipv4'),
  reason,
}));
const IPV6_BLOCKS = IPV6_SPECIAL.map(([network, prefix, reason]) => ({
  list: blockListOf([[network, prefix, reason]], 'ipv6'),
  reason,
}));
const GLOBAL_UNICAST_V6 = blockListOf([['2000::', 3, '']], 'ipv6');

/** The eight 16-bit groups of an IPv6 address (with `::` and a dotted IPv4 tail expanded). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().split('%')[0] ?? '';
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = (dotted[1] as string).split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((group) => parseInt(group || '0', 16));
}

/** The IPv4 address an IPv6 address carries: IPv4-mapped (`::ffff:a.b.c.d`), NAT64 (`64:ff9b::/96`), 6to4 (`2002::/16`). */
function embeddedIpv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  const dotted = (hi: number, lo: number): string => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zeros = (from: number, to: number): boolean => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return dotted(g[6] ?? 0, g[7] ?? 0);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return dotted(g[6] ?? 0, g[7] ?? 0);
  if (g[0] === 0x2002) return dotted(g[1] ?? 0, g[2] ?? 0);
  return undefined;
}

/** Why an IPv4 address is special-purpose, or undefined for a public unicast one. */
function ipv4Refusal(address: string): string | undefined {
  return IPV4_BLOCKS.find((block) => block.list.check(address, 'ipv4'))?.reason;
}

/**
 * Why an address must not be contacted, or undefined when it is a public unicast address. Exported
 * for the tests and for anything else that connects where DNS says (the collector's Matrix look-ups).
 */
export function specialPurposeReason(address: string): string | undefined {
  if (isIPv4(address)) return ipv4Refusal(address);
  if (!isIPv6(address)) return 'not an IP address';
  const inner = embeddedIpv4(address);
  if (inner !== undefined) {
    const reason = ipv4Refusal(inner);
    return reason ? `${reason}, inside an IPv6 address` : undefined;
  }
  const special = IPV6_BLOCKS.find((block) => block.list.check(address, 'ipv6'));
  if (special) return special.reason;
  if (!GLOBAL_UNICAST_V6.check(address, 'ipv6')) return 'not a global unicast IPv6 address (2000::/3)';
  return undefined;
}

/**
 * Where a live check may connect. DNS is written by whoever owns a domain, so an SRV target and its
 * addresses may point anywhere: at our own loopback services, the cloud metadata address, the
 * collector's private network. One policy, used by the CLI and the collector alike, decides before
 * any connection is opened; the connection then goes to the very address checked (no second
 * resolution, so DNS rebinding cannot swap it).
 */
export class AddressPolicy {
  readonly allowPrivate: boolean;
  private readonly ports: Record<LiveService, PortList>;

  constructor(options: AddressPolicyOptions = {}) {
    this.allowPrivate = options.allowPrivate ?? false;
    this.ports = {
      sip: options.ports?.sip ?? DEFAULT_LIVE_PORTS.sip,
      xmpp: options.ports?.xmpp ?? DEFAULT_LIVE_PORTS.xmpp,
    };
  }

  /** Whether the port is one the service uses (or allowed by configuration). */
  checkPort(service: LiveService, port: number): PolicyVerdict {
    const allowed = this.ports[service];
    if (allowed === 'any' || allowed.includes(port)) return { allowed: true };
    return {
      allowed: false,
      reason: `port ${port} is not one ${service === 'sip' ? 'SIP' : 'XMPP'} servers use (${allowed.join(', ')})`,
    };
  }

  /** Whether the address may be contacted. */
  checkAddress(address: string): PolicyVerdict {
    if (!isIPv4(address) && !isIPv6(address)) return { allowed: false, reason: 'not an IP address' };
    if (this.allowPrivate) return { allowed: true };
    const reason = specialPurposeReason(address);
    return reason === undefined ? { allowed: true } : { allowed: false, reason: `${address} is ${reason}` };
  }
}

/** A port list that cannot be used: the message says what it takes. */
export class LivePortsError extends Error {
  override name = 'LivePortsError';
}

/**
 * Reads a port allow-list setting: `sip=5061,443;xmpp=5222,5269`, a service left out keeping its
 * default, `*` for every port. Used by `--live-ports` and `WCF_LIVE_PORTS`.
 */
export function parseLivePorts(text: string): Partial<Record<LiveService, PortList>> {
  const result: Partial<Record<LiveService, PortList>> = {};
  for (const part of text.split(';')) {
    const entry = part.trim();
    if (entry === '') continue;
    const match = /^(sip|xmpp)\s*=\s*(.+)$/i.exec(entry);
    if (!match) {
      throw new LivePortsError(`"${entry}" is not SERVICE=PORTS (for example sip=5061,443 or xmpp=*)`);
    }
    const service = (match[1] as string).toLowerCase() as LiveService;
    const ports = (match[2] as string).trim();
    if (ports === '*') {
      result[service] = 'any';
      continue;
    }
    result[service] = ports.split(',').map((raw) => {
      const port = Number(raw.trim());
      if (!Number.isInteger(port) || port < 1 || port > 65_535) {
        throw new LivePortsError(`"${raw.trim()}" in ${service}= is not a port number (1–65535)`);
      }
      return port;
    });
  }
  return result;
}
