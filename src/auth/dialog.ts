import { createStandardPublicClientApplication } from '@azure/msal-browser';
import { bakedConfig } from '../config';
import type { DialogMessage } from './msal';
import { standardMsalConfig } from './msal';
import { GRAPH_SCOPES } from './token-provider';

// dialog.html: sign-in inside an Office dialog, for hosts where popups are blocked. Signs in by
// redirect within the dialog, then sends the token to the pane with messageParent and closes.
function send(message: DialogMessage): void {
  Office.context.ui.messageParent(JSON.stringify(message));
}

Office.onReady(async () => {
  try {
    const msal = await createStandardPublicClientApplication(
      standardMsalConfig(bakedConfig().clientId, 'dialog.html'),
    );
    const result = await msal.handleRedirectPromise();
    if (result) {
      send({
        type: 'token',
        accessToken: result.accessToken,
        expiresOn: result.expiresOn?.getTime() ?? Date.now() + 3_000_000,
      });
      return;
    }
    await msal.loginRedirect({ scopes: GRAPH_SCOPES });
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && 'errorCode' in error
        ? String(error.errorCode)
        : 'failed';
    send({ type: 'error', errorCode: code });
  }
});
