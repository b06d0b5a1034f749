/** A request the collector refuses, with a message that says what to change. Always a 400. */
export class BadRequest extends Error {
  override name = 'BadRequest';
  readonly statusCode = 400;
}
