import type { FastifyBaseLogger } from 'fastify';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
const LEVELS: readonly Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

export interface AnonymousLoggerOptions {
  level?: Level | 'silent';
  write?: (line: string) => void;
}

/**
 * The collector's only logger. It writes a message and, for errors, the error's message and stack;
 * every other field anyone passes (Fastify's `req`, `res`, `reqId`, a plugin's bindings) is
 * dropped, and children are the logger itself. So an address, a user agent or a request id can
 * never reach a log line, whichever part of the stack tries to log one.
 */
export function anonymousLogger(options: AnonymousLoggerOptions = {}): FastifyBaseLogger {
  const threshold = options.level ?? 'info';
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const enabled = (level: Level): boolean =>
    threshold !== 'silent' && LEVELS.indexOf(level) <= LEVELS.indexOf(threshold);

  const log =
    (level: Level) =>
    (first?: unknown, second?: unknown): void => {
      if (!enabled(level)) return;
      const line: Record<string, unknown> = { time: new Date().toISOString(), level };
      const error = isErrorLike(first) ? first : (first as { err?: unknown } | null)?.err;
      if (typeof first === 'string') line.msg = first;
      else if (typeof second === 'string') line.msg = second;
      if (isErrorLike(error)) {
        const message = errorMessage(error);
        line.msg ??= message;
        line.error = message;
        line.stack = error.stack;
      }
      write(`${JSON.stringify(line)}\n`);
    };

  const logger = {
    level: threshold,
    fatal: log('fatal'),
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    trace: log('trace'),
    silent: () => undefined,
    child: () => logger,
  };
  // The object has every method FastifyBaseLogger (pino's shape) requires; its call signatures are
  // pino's overloads, which a plain function cannot spell out, so this one cast is deliberate.
  return logger as unknown as FastifyBaseLogger;
}

/** Duck-typed: errors from Node's internals need not be `instanceof Error` in this realm (Jest). */
function isErrorLike(value: unknown): value is { message?: unknown; stack?: string; errors?: unknown } {
  return typeof value === 'object' && value !== null && ('stack' in value || 'message' in value);
}

/** An error's message; an AggregateError (a connection refused on IPv6 and IPv4) says its parts. */
function errorMessage(error: { message?: unknown; errors?: unknown; code?: unknown }): string {
  const own = typeof error.message === 'string' ? error.message : '';
  if (own !== '') return own;
  if (Array.isArray(error.errors)) {
    return error.errors.map((inner: { message?: unknown }) => String(inner?.message ?? inner)).join('; ');
  }
  return typeof error.code === 'string' ? error.code : 'error';
}
