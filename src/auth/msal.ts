import {
  createNestablePublicClientApplication,
  createStandardPublicClientApplication,
} from '@azure/msal-browser';
import type { PaneConfig } from '../config';
import { SignInError } from './sign-in-error';
import { GRAPH_SCOPES, TokenProvider, type DialogToken, type MsalClient } from './token-provider';

/** Work and school accounts of any tenant, and personal Microsoft accounts. */
const AUTHORITY = 'https://login.microsoftonline.com/common';

/** The message the sign-in dialog (dialog.ts) sends to the pane. */
export type DialogMessage =
  { type: 'token'; accessToken: string; expiresOn: number } | { type: 'error'; errorCode: string };

function pageUrl(name: string): string {
  return new URL(name, window.location.href).href;
}

/** Opens dialog.html with the Office dialog API and resolves with the token it sends back. */
function signInWithOfficeDialog(): Promise<DialogToken> {
  return new Promise((resolve, reject) => {
    Office.context.ui.displayDialogAsync(pageUrl('dialog.html'), { height: 60, width: 30 }, (opened) => {
      if (opened.status !== Office.AsyncResultStatus.Succeeded) {
        reject(new SignInError('popup-blocked', `dialog ${opened.error.code}`));
        return;
      }
      const dialog = opened.value;
      dialog.addEventHandler(Office.EventType.DialogMessageReceived, (event) => {
        dialog.close();
        const message = JSON.parse((event as { message: string }).message) as DialogMessage;
        if (message.type === 'token')
          resolve({ accessToken: message.accessToken, expiresOn: message.expiresOn });
        else reject({ errorCode: message.errorCode });
      });
      dialog.addEventHandler(Office.EventType.DialogEventReceived, () =>
        reject(new SignInError('cancelled')),
      );
    });
  });
}

/** The standard (non-nested) MSAL configuration shared by the pane's popup and the dialog page. */
export function standardMsalConfig(clientId: string, redirectPage: string) {
  return {
    auth: { clientId, authority: AUTHORITY, redirectUri: pageUrl(redirectPage) },
    cache: { cacheLocation: 'localStorage' as const },
  };
}

/**
 * The pane's token provider wired to MSAL and Office: NAA where the host supports `NestedAppAuth 1.1`
 * (checked at run time), else a popup that returns through redirect.html (MSAL 5's redirect bridge),
 * else the Office dialog API. In a development build with WCF_DEV_TOKEN, that token is used instead.
 */
export function createTokenProvider(config: PaneConfig, inOffice: boolean): TokenProvider {
  return new TokenProvider({
    scopes: GRAPH_SCOPES,
    configured: config.clientId !== '',
    devToken: config.production ? undefined : config.devToken || undefined,
    nestedAppAuthSupported: () =>
      inOffice && Office.context.requirements.isSetSupported('NestedAppAuth', '1.1'),
    createNestable: async () =>
      (await createNestablePublicClientApplication({
        auth: { clientId: config.clientId, authority: AUTHORITY },
      })) as unknown as MsalClient,
    createStandard: async () =>
      (await createStandardPublicClientApplication(
        standardMsalConfig(config.clientId, 'redirect.html'),
      )) as unknown as MsalClient,
    signInWithDialog: inOffice ? signInWithOfficeDialog : undefined,
  });
}
