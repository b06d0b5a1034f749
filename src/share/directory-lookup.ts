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
  init: {
    method: 'POST';
    headers: Record<string, string>;
    body: string;
    credentials: 'omit';
    referrerPolicy: 'no-referrer';
    signal?: AbortSignal;
  },
) => Promise<{
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  json(): Promise<unknown>;
}>;

/** Buckets in one `POST /v1/lookup` (the collector's limit). */
export const PREFIXES_PER_REQUEST = 256;

export interface DirectoryLookupOptions {
  collectorUrl: string;
  fetch: DirectoryFetch;
  /** SHA-256 of text as lower-case hex; Web Crypto (browsers and Node) by default. */
  digest?: (text: string) => Promise<string>;
  /** Requests in flight at once (default 2). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Times a refused (429/503) request is asked again, after the wait the directory asked for (default 3). */
  retries?: number;
  /** Waits; injected by tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const sleepFor = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/** SHA-256 with Web Crypto, present in browsers (secure contexts) and in Node. */
export async function webCryptoSha256(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Asks the community directory about domains without naming them: only the first hex characters
 * of each domain's SHA-256 leave the device, up to 256 in one request; the full hashes that come
 * back are matched here. A refusal (429, 503) is asked again after the wait the directory asked
 * for (`Retry-After`, else a back-off), a few times at most; what still fails is counted, never
 * thrown: the directory is an extra, and the DNS answers stand alone.
 */
export async function lookUpInDirectory(
  domains: readonly string[],
  options: DirectoryLookupOptions,
): Promise<DirectoryLookupResult> {
  const digest = options.digest ?? webCryptoSha256;
  const sleep = options.sleep ?? sleepFor;
  const retries = options.retries ?? 3;
  const byHash = new Map<string, string>();
  for (const domain of new Set(domains)) byHash.set(await digest(domain), domain);
  const prefixes = [...new Set([...byHash.keys()].map(bucketOf))].sort();
  const batches: string[][] = [];
  for (let i = 0; i < prefixes.length; i += PREFIXES_PER_REQUEST) {
    batches.push(prefixes.slice(i, i + PREFIXES_PER_REQUEST));
  }
  const findings = new Map<string, DirectoryFinding>();
  let failedBuckets = 0;
  let next = 0;
  const url = `${options.collectorUrl.replace(/\/+$/, '')}/v1/lookup`;
  const ask = async (batch: string[]): Promise<boolean> => {
    for (let attempt = 0; ; attempt += 1) {
      const response = await options.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prefixes: batch }),
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        signal: options.signal,
      });
      if (response.ok) {
        const body = (await response.json()) as { buckets?: { domains?: DirectoryFinding[] }[] };
        for (const bucket of body.buckets ?? []) {
          for (const finding of bucket.domains ?? []) {
            const domain = byHash.get(finding.hash);
            if (domain !== undefined) findings.set(domain, finding);
          }
        }
        return true;
      }
      if ((response.status !== 429 && response.status !== 503) || attempt >= retries) return false;
      const asked = Number(response.headers.get('retry-after'));
      const wait = Number.isFinite(asked) && asked > 0 ? Math.min(asked, 120) * 1000 : 2000 * 2 ** attempt;
      await sleep(wait, options.signal);
      if (options.signal?.aborted) return false;
    }
  };
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const batch = batches[next] as string[];
      next += 1;
      if (options.signal?.aborted) return;
      try {
        if (!(await ask(batch))) failedBuckets += batch.length;
      } catch {
        if (options.signal?.aborted) return;
        failedBuckets += batch.length;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 2, batches.length) }, worker));
  return { findings, failedBuckets };
}

/** The directory's finding in the words the pane shows beside its own DNS answer. */
export function directoryWords(finding: DirectoryFinding): string {
  const when = finding.checked ? ` (checked ${finding.checked})` : '';
  if (finding.lyncLive === true || finding.xmppLive === true) return `edge answering${when}`;
  if (finding.lyncLive === false || finding.xmppLive === false) return `edge not answering${when}`;
  return `in the community directory${when}`;
}
