/** A mistake in the command line: exit code 2, with the help's pointer. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode = 2;
}

/** The input could not be read: exit code 1. */
export class InputError extends Error {
  override name = 'InputError';
  readonly exitCode = 1;
}
