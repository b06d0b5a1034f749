import { SignInError, toSignInError } from './sign-in-error';

/** The scopes the pane asks for: reading contacts, nothing more. */
export const GRAPH_SCOPES = ['Contacts.Read'];

/** The part of an MSAL public client application the pane uses (so tests can pass a fake). */
export interface MsalClient {
  initialize(): Promise<void>;
  getAllAccounts(): { homeAccountId: string }[];
  acquireTokenSilent(request: {
    scopes: string[];
    account?: { homeAccountId: string };
  }): Promise<{ accessToken: string }>;
  acquireTokenPopup(request: { scopes: string[] }): Promise<{ accessToken: string }>;
}

export interface TokenProviderOptions {
  scopes?: string[];
  /** Whether the host supports Nested App Authentication (requirement set NestedAppAuth 1.1). */
  nestedAppAuthSupported: () => boolean;
  /** `createNestablePublicClientApplication(...)`. */
  createNestable: () => Promise<MsalClient>;
  /** A standard public client application (popup, with the redirect-bridge page). */
  createStandard: () => Promise<MsalClient>;
  /** The Office dialog API fallback, where Office is present; resolves with a token and its expiry. */
  signInWithDialog?: () => Promise<DialogToken>;
  /** Milliseconds since the epoch; injected for tests. */
  now?: () => number;
  /** Development builds only: the token to use instead of signing in. */
  devToken?: string;
  /** Whether an app registration is configured (WCF_CLIENT_ID). */
  configured: boolean;
}

/** What the sign-in dialog sends back: MSAL's token and when it expires (ms since the epoch). */
export interface DialogToken {
  accessToken: string;
  expiresOn: number;
}

/** How the last token was obtained, for the pane to say. */
export type SignInMethod = 'development token' | 'nested app authentication' | 'popup' | 'Office dialog';

/**
 * One `getAccessToken()` for Graph: Nested App Authentication first (silent, then interactive),
 * where the host lacks it a popup, and where popups are blocked the Office dialog API. Errors come
 * out as {@link SignInError}s that say what to do. Tokens are only ever returned, never logged.
 */
export class TokenProvider {
  private client: Promise<{ msal: MsalClient; nested: boolean }> | undefined;
  /** A token from the Office dialog, kept in memory only, until a minute before it expires. */
  private dialogToken: DialogToken | undefined;
  method: SignInMethod | undefined;

  constructor(private readonly options: TokenProviderOptions) {}

  private get scopes(): string[] {
    return this.options.scopes ?? GRAPH_SCOPES;
  }

  private msal(): Promise<{ msal: MsalClient; nested: boolean }> {
    this.client ??= (async () => {
      const nested = this.options.nestedAppAuthSupported();
      const msal = nested ? await this.options.createNestable() : await this.options.createStandard();
      await msal.initialize();
      return { msal, nested };
    })().catch((error: unknown) => {
      this.client = undefined;
      throw toSignInError(error);
    });
    return this.client;
  }

  /** A token without any interaction, or undefined when the person has to sign in. */
  async getTokenSilently(): Promise<string | undefined> {
    if (this.options.devToken) return this.options.devToken;
    if (!this.options.configured) return undefined;
    const now = (this.options.now ?? Date.now)();
    if (this.dialogToken && this.dialogToken.expiresOn - 60_000 > now) return this.dialogToken.accessToken;
    const { msal } = await this.msal();
    const [account] = msal.getAllAccounts();
    try {
      const result = await msal.acquireTokenSilent(
        account ? { scopes: this.scopes, account } : { scopes: this.scopes },
      );
      return result.accessToken;
    } catch {
      return undefined; // interaction required: the caller offers "Sign in"
    }
  }

  /** A token, signing in interactively if needed. Rejects with a {@link SignInError}. */
  async getAccessToken(): Promise<string> {
    if (this.options.devToken) {
      this.method = 'development token';
      return this.options.devToken;
    }
    if (!this.options.configured) throw new SignInError('not-configured');
    const silent = await this.getTokenSilently();
    const { msal, nested } = await this.msal();
    if (silent) {
      this.method ??= nested ? 'nested app authentication' : 'popup';
      return silent;
    }
    try {
      const result = await msal.acquireTokenPopup({ scopes: this.scopes });
      this.method = nested ? 'nested app authentication' : 'popup';
      return result.accessToken;
    } catch (error) {
      const problem = toSignInError(error);
      if (problem.problem === 'popup-blocked' && !nested && this.options.signInWithDialog) {
        try {
          this.dialogToken = await this.options.signInWithDialog();
          this.method = 'Office dialog';
          return this.dialogToken.accessToken;
        } catch (dialogError) {
          throw toSignInError(dialogError);
        }
      }
      throw problem;
    }
  }
}
