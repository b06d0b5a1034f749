import { SignInError, toSignInError } from '../../src/auth/sign-in-error';
import { TokenProvider, type MsalClient, type TokenProviderOptions } from '../../src/auth/token-provider';

/** An MSAL stand-in that records what was asked and answers as told. */
class FakeMsal implements MsalClient {
  calls: string[] = [];
  accounts: { homeAccountId: string }[] = [];
  silent: () => Promise<{ accessToken: string }> = () =>
    Promise.reject({ errorCode: 'interaction_required' });
  popup: () => Promise<{ accessToken: string }> = () => Promise.resolve({ accessToken: 'popup-token' });
  initialize(): Promise<void> {
    this.calls.push('initialize');
    return Promise.resolve();
  }
  getAllAccounts() {
    return this.accounts;
  }
  acquireTokenSilent(request: { scopes: string[]; account?: { homeAccountId: string } }) {
    this.calls.push(`silent ${request.scopes.join(' ')}${request.account ? ' with account' : ''}`);
    return this.silent();
  }
  acquireTokenPopup(request: { scopes: string[] }) {
    this.calls.push(`popup ${request.scopes.join(' ')}`);
    return this.popup();
  }
}

function provider(
  overrides: Partial<TokenProviderOptions> & { nested?: FakeMsal; standard?: FakeMsal; naa?: boolean },
) {
  const nested = overrides.nested ?? new FakeMsal();
  const standard = overrides.standard ?? new FakeMsal();
  const tokens = new TokenProvider({
    configured: true,
    nestedAppAuthSupported: () => overrides.naa ?? true,
    createNestable: () => Promise.resolve(nested),
    createStandard: () => Promise.resolve(standard),
    ...overrides,
  });
  return { tokens, nested, standard };
}

describe('TokenProvider', () => {
  it('uses Nested App Authentication where the host supports it: silent first', async () => {
    const nested = new FakeMsal();
    nested.silent = () => Promise.resolve({ accessToken: 'silent-token' });
    const { tokens, standard } = provider({ nested });
    await expect(tokens.getAccessToken()).resolves.toBe('silent-token');
    expect(nested.calls).toEqual(['initialize', 'silent Contacts.Read']);
    expect(standard.calls).toEqual([]);
    expect(tokens.method).toBe('nested app authentication');
  });

  it('asks interactively when silent sign-in needs interaction', async () => {
    const { tokens, nested } = provider({});
    await expect(tokens.getAccessToken()).resolves.toBe('popup-token');
    expect(nested.calls).toEqual(['initialize', 'silent Contacts.Read', 'popup Contacts.Read']);
  });

  it('falls back to a popup without NAA, using the signed-in account for silent requests', async () => {
    const standard = new FakeMsal();
    standard.accounts = [{ homeAccountId: 'a' }];
    const { tokens, nested } = provider({ naa: false, standard });
    await expect(tokens.getAccessToken()).resolves.toBe('popup-token');
    expect(nested.calls).toEqual([]);
    expect(standard.calls).toEqual([
      'initialize',
      'silent Contacts.Read with account',
      'popup Contacts.Read',
    ]);
    expect(tokens.method).toBe('popup');
  });

  it('falls back to the Office dialog when the popup is blocked, and reuses its token until it expires', async () => {
    const standard = new FakeMsal();
    standard.popup = () => Promise.reject({ errorCode: 'popup_window_error', errorMessage: 'blocked' });
    let now = 1_000_000;
    let dialogs = 0;
    const { tokens } = provider({
      naa: false,
      standard,
      now: () => now,
      signInWithDialog: () => {
        dialogs += 1;
        return Promise.resolve({ accessToken: `dialog-token-${dialogs}`, expiresOn: now + 3_600_000 });
      },
    });
    await expect(tokens.getAccessToken()).resolves.toBe('dialog-token-1');
    await expect(tokens.getAccessToken()).resolves.toBe('dialog-token-1');
    expect(tokens.method).toBe('Office dialog');
    now += 3_600_000;
    await expect(tokens.getAccessToken()).resolves.toBe('dialog-token-2');
  });

  it.each([
    [{ errorCode: 'user_cancelled' }, 'cancelled', /cancelled.*Sign in/],
    [
      {
        errorCode: 'invalid_grant',
        errorMessage: 'AADSTS65001: The user or administrator has not consented',
      },
      'consent-required',
      /administrator/,
    ],
    [{ errorCode: 'popup_window_error' }, 'popup-blocked', /Allow pop-ups/],
    [{ errorCode: 'no_network_connectivity' }, 'network', /connection/],
    [{ errorCode: 'something_else' }, 'failed', /Sign-in failed.*something_else/],
  ])('turns %j into a %s message that says what to do', async (failure, problem, message) => {
    const nested = new FakeMsal();
    nested.popup = () => Promise.reject(failure);
    const { tokens } = provider({ nested });
    const error = (await tokens.getAccessToken().catch((e: unknown) => e)) as SignInError;
    expect(error).toBeInstanceOf(SignInError);
    expect(error.problem).toBe(problem);
    expect(error.message).toMatch(message);
  });

  it('can be retried after a failure', async () => {
    const nested = new FakeMsal();
    let attempt = 0;
    nested.popup = () =>
      ++attempt === 1
        ? Promise.reject({ errorCode: 'user_cancelled' })
        : Promise.resolve({ accessToken: 'second' });
    const { tokens } = provider({ nested });
    await expect(tokens.getAccessToken()).rejects.toThrow(/cancelled/);
    await expect(tokens.getAccessToken()).resolves.toBe('second');
  });

  it('uses the development token without touching MSAL', async () => {
    const { tokens, nested, standard } = provider({ devToken: 'dev' });
    await expect(tokens.getAccessToken()).resolves.toBe('dev');
    expect([...nested.calls, ...standard.calls]).toEqual([]);
  });

  it('says when no app registration is configured', async () => {
    const { tokens } = provider({ configured: false });
    await expect(tokens.getAccessToken()).rejects.toMatchObject({ problem: 'not-configured' });
    await expect(tokens.getTokenSilently()).resolves.toBeUndefined();
  });

  it('never puts a token in an error message', async () => {
    const nested = new FakeMsal();
    nested.popup = () => Promise.reject({ errorCode: 'x', errorMessage: 'token eyJsecret' });
    const { tokens } = provider({ nested });
    const error = (await tokens.getAccessToken().catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain('eyJsecret');
    expect(toSignInError(new TypeError('Failed to fetch')).problem).toBe('network');
  });
});
