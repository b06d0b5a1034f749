/** What went wrong with sign-in, as far as the person needs to know to fix it. */
export type SignInProblem =
  | 'cancelled'
  | 'consent-required'
  | 'popup-blocked'
  | 'network'
  | 'not-configured'
  | 'unsupported'
  | 'failed';

const ADVICE: Record<SignInProblem, string> = {
  cancelled: 'Sign-in was cancelled. Select "Sign in" to try again.',
  'consent-required':
    'Your organisation has to allow Who Can Federate to read your contacts (permission Contacts.Read). Ask an administrator to grant consent, or check the people on this message or an imported contacts file instead.',
  'popup-blocked':
    'The sign-in window was blocked. Allow pop-ups for this add-in, then select "Sign in" again.',
  network: 'Could not reach Microsoft sign-in. Check your connection, then select "Sign in" again.',
  'not-configured':
    'This copy of the add-in is not set up to sign in to Microsoft 365, so it cannot read your contacts. You can still check the people on this message or an imported contacts file.',
  unsupported:
    'Sign-in is not available here. Open the add-in in Outlook on the web, new Outlook or classic Outlook, or import a contacts file.',
  failed: 'Sign-in failed. Select "Sign in" to try again.',
};

/** A sign-in failure with a message that tells the person what to do; never carries a token. */
export class SignInError extends Error {
  override name = 'SignInError';
  constructor(
    readonly problem: SignInProblem,
    /** The identity platform's error code, for support (never a token or a user name). */
    readonly code?: string,
  ) {
    super(code ? `${ADVICE[problem]} (${code})` : ADVICE[problem]);
  }
}

const CANCELLED = ['user_cancelled', 'access_denied'];
const POPUP_BLOCKED = ['popup_window_error', 'empty_window_error'];
const NETWORK = [
  'no_network_connectivity',
  'endpoints_resolution_error',
  'post_request_failed',
  'get_request_failed',
];
const CONSENT = ['consent_required', 'AADSTS65001', 'AADSTS90094', 'AADSTS900941'];

/** Maps an MSAL (or Office dialog) error to a {@link SignInError}; duck-typed, so it needs no MSAL import. */
export function toSignInError(error: unknown): SignInError {
  if (error instanceof SignInError) return error;
  const record = (typeof error === 'object' && error !== null ? error : {}) as {
    errorCode?: unknown;
    errorMessage?: unknown;
    message?: unknown;
    subError?: unknown;
  };
  const code = typeof record.errorCode === 'string' ? record.errorCode : undefined;
  const text = `${String(record.errorMessage ?? '')} ${String(record.message ?? '')} ${String(record.subError ?? '')}`;
  const has = (list: readonly string[]): boolean => list.some((c) => c === code || text.includes(c));
  if (has(CONSENT)) return new SignInError('consent-required', code);
  if (has(CANCELLED)) return new SignInError('cancelled', code);
  if (has(POPUP_BLOCKED)) return new SignInError('popup-blocked', code);
  if (has(NETWORK) || (error instanceof TypeError && /fetch/i.test(text)))
    return new SignInError('network', code);
  return new SignInError('failed', code);
}
