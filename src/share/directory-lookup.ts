import { bucketOf } from '../core/bucket';

/** What the community directory knows of one domain (from `GET /v1/lookup/{prefix}`). */
export interface DirectoryFinding {
  hash: string;
  lyncFederation: boolean | null;
  xmppFederation: boolean | null;
  xmppClientAccess: boolean | null;
  lyncLive: boolean | null;
  xmppLive: boolean | null;
  verified: boolean | null;
  /** The UTC day of the directory's latest check. */
  checked: string | null;
}

export interface DirectoryLookupResult {
  /** Domain → finding, for the domains the directory knows. */
  findings: Map<string, DirectoryFinding>;
  /** Buckets that could not be read (the directory was unreachable or answered an error). */
  failedBuckets: number;
}

export type DirectoryFetch = (
  url: string,
  init: { credentials: 'omit'; referrerPolicy: 'no-referrer'; signal?: AbortSignal },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

export interface DirectoryLookupOptions {
  collectorUrl: string;
  fetch: DirectoryFetch;
  /** SHA-256 of text as lower-case hex; Web Crypto (browsers and Node) by default. */
  digest?: (text: string) => Promise<string>;
  /** Buckets asked at once (default 6). */
  concurrency?: number;
  signal?: AbortSignal;
}

/** SHA-256 with Web Crypto, present in browsers (secure contexts) and in Node. */
export async function webCryptoSha256(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Asks the community directory about domains without naming them: only the first hex characters
 * of each domain's SHA-256 leave the device; the full hashes that come back are matched here.
 * Failures are counted, never thrown: the directory is an extra, and the DNS answers stand alone.
 */
export async function lookUpInDirectory(
  domains: readonly string[],
  options: DirectoryLookupOptions,
): Promise<DirectoryLookupResult> {
  const digest = options.digest ?? webCryptoSha256;
  const byHash = new Map<string, string>();
  for (const domain of new Set(domains)) byHash.set(await digest(domain), domain);
  const prefixes = [...new Set([...byHash.keys()].map(bucketOf))].sort();
  const findings = new Map<string, DirectoryFinding>();
  let failedBuckets = 0;
  let next = 0;
  const base = options.collectorUrl.replace(/\/+$/, '');
  const worker = async (): Promise<void> => {
    while (next < prefixes.length) {
      const prefix = prefixes[next] as string;
      next += 1;
      if (options.signal?.aborted) return;
      try {
        const response = await options.fetch(`${base}/v1/lookup/${prefix}`, {
          credentials: 'omit',
          referrerPolicy: 'no-referrer',
          signal: options.signal,
        });
        if (!response.ok) {
          failedBuckets += 1;
          continue;
        }
        const body = (await response.json()) as { domains?: DirectoryFinding[] };
        for (const finding of body.domains ?? []) {
          const domain = byHash.get(finding.hash);
          if (domain !== undefined) findings.set(domain, finding);
        }
      } catch {
        if (options.signal?.aborted) return;
        failedBuckets += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 6, prefixes.length) }, worker));
  return { findings, failedBuckets };
}

/** The directory's finding in the words the pane shows beside its own DNS answer. */
export function directoryWords(finding: DirectoryFinding): string {
  const when = finding.checked ? ` (checked ${finding.checked})` : '';
  if (finding.lyncLive === true || finding.xmppLive === true) return `edge answering${when}`;
  if (finding.lyncLive === false || finding.xmppLive === false) return `edge not answering${when}`;
  return `in the community directory${when}`;
}
