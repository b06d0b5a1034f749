/** A request the collector refuses, with a message that says what to change. Always a 400. */
export class BadRequest extends Error {
  override name = 'BadRequest';
  readonly statusCode = 400;
}

/** Too much from one client: a 429 with the time to wait, and the connection is closed. */
export class TooManyRequests extends Error {
  override name = 'TooManyRequests';
  readonly statusCode = 429;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** The collector cannot take more work now (its queue of checks is full): a 503 with the time to wait. */
export class ServiceUnavailable extends Error {
  override name = 'ServiceUnavailable';
  readonly statusCode = 503;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
