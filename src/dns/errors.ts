import { socketErrorWords } from './socket-error';

/**
 * Base of every failure to get an answer from a resolver, over DNS-over-HTTPS or classic DNS (UDP/TCP):
 * the engine reports it as `error`, never as "no".
 */
export class DnsError extends Error {
  override name = 'DnsError';
  /** Whether asking again (after a pause) may help: time-outs, 5xx and 429 are; 4xx and garbage are not. */
  readonly retryable: boolean;
  constructor(message: string, options: { retryable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable;
  }
}

/** "4 s", "1.5 s", "250 ms": how people say a time limit. */
function formatDuration(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${ms} ms`;
}

/**
 * The resolver did not answer within the per-query time limit. Messages here are shown by every
 * front end, so they name no command-line option; the CLI adds its own hints (failure-hints.ts).
 */
export class DnsTimeoutError extends DnsError {
  override name = 'DnsTimeoutError';
  constructor(endpoint: string, timeoutMs: number) {
    super(`${endpoint} did not answer within ${formatDuration(timeoutMs)}`, { retryable: true });
  }
}

/**
 * The innermost useful message of a network failure (fetch wraps the socket error in `cause`). Duck-typed:
 * errors from Node's internals need not be `instanceof Error` in every realm (Jest, iframes).
 */
function describeCause(cause: unknown): string {
  const words = (value: unknown): string =>
    typeof value === 'object' && value !== null && 'message' in value ? socketErrorWords(value) : '';
  const inner =
    typeof cause === 'object' && cause !== null && 'cause' in cause
      ? words((cause as { cause: unknown }).cause)
      : '';
  return inner || words(cause);
}

/** The resolver could not be reached at all (refused connection, DNS failure, TLS failure, offline). */
export class DnsNetworkError extends DnsError {
  override name = 'DnsNetworkError';
  constructor(endpoint: string, cause: unknown) {
    const detail = describeCause(cause);
    super(`cannot reach ${endpoint}${detail ? `: ${detail}` : ''}`, {
      retryable: true,
      cause,
    });
  }
}

/** The resolver answered with an HTTP error status. */
export class DohHttpError extends DnsError {
  override name = 'DohHttpError';
  constructor(
    endpoint: string,
    readonly status: number,
    /** Seconds the server asked us to wait (`Retry-After`), when it said and we could read it. */
    readonly retryAfterSeconds?: number,
  ) {
    super(`${endpoint} answered HTTP ${status}${status === 429 ? ' (too many questions at once)' : ''}`, {
      retryable: status >= 500 || status === 429,
    });
  }
}

/** The resolver answered, but not with a DNS message for the question asked. */
export class DnsMalformedError extends DnsError {
  override name = 'DnsMalformedError';
  constructor(endpoint: string, detail: string) {
    super(`${endpoint} sent a malformed answer: ${detail}`, { retryable: false });
  }
}

/**
 * Every resolver is unreachable: each has answered nothing while many questions in a row timed out
 * or failed on the network (a firewall that drops DNS-over-HTTPS, a dead proxy). The client then
 * stops asking, so a check ends in seconds instead of waiting out every question's time limit.
 */
export class DnsUnreachableError extends DnsError {
  override name = 'DnsUnreachableError';
  constructor(
    readonly endpoints: readonly string[],
    readonly silentQuestions: number,
  ) {
    super(
      `cannot reach ${endpoints.join(' or ')}: ${silentQuestions} questions in a row got no answer, so the rest were not asked (a firewall or proxy may block it)`,
      { retryable: false },
    );
  }
}

/** Thrown when no resolver gave an answer; carries what each attempt met. */
export class DnsAllFailedError extends DnsError {
  override name = 'DnsAllFailedError';
  constructor(readonly attempts: readonly DnsError[]) {
    const last = attempts[attempts.length - 1];
    super(last ? last.message : 'no DNS-over-HTTPS resolver is configured', {
      retryable: false,
      cause: last,
    });
  }
}

/** What kind of failure a lookup's error message tells of: what the CLI's hints and the pane's words go by. */
export type FailureKind = 'blocked' | 'timeout' | 'unreachable' | 'rate-limited' | 'broken-zone' | 'other';

/**
 * Reads the kind back from a lookup's `error` text (records keep only the message): the patterns
 * match the messages the classes above and the answer interpretation write.
 */
export function failureKind(message: string): FailureKind {
  if (/questions in a row got no answer/.test(message)) return 'blocked';
  if (/did not answer within|no answer within/.test(message)) return 'timeout';
  if (/^cannot reach /.test(message)) return 'unreachable';
  if (/HTTP 429/.test(message)) return 'rate-limited';
  if (/SERVFAIL|DNSSEC/.test(message)) return 'broken-zone';
  return 'other';
}
