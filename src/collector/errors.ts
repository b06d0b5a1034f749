/** A request the collector refuses, with a message that says what to change. Always a 400. */
export class BadRequest extends Error {
  override name = 'BadRequest';
  readonly statusCode = 400;
}

/**
 * A request refused for now, not for good: the answer says when to come back (`Retry-After`).
 * The error handler sends every subclass the same way.
 */
export abstract class RetryLater extends Error {
  abstract readonly statusCode: 429 | 503;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** Too much from one client: a 429 with the time to wait, and the connection is closed. */
export class TooManyRequests extends RetryLater {
  override name = 'TooManyRequests';
  readonly statusCode = 429;
}

/** The collector cannot take more work now (its queue of checks is full): a 503 with the time to wait. */
export class ServiceUnavailable extends RetryLater {
  override name = 'ServiceUnavailable';
  readonly statusCode = 503;
}
