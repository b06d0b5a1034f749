import { broadcastResponseToMainFrame } from '@azure/msal-browser/redirect-bridge';

// redirect.html: where the identity platform returns after the sign-in popup. MSAL 5 needs this page
// to hand the response back to the pane that opened the popup.
broadcastResponseToMainFrame().catch((error: unknown) => {
  document.body.textContent = `Sign-in could not finish: ${error instanceof Error ? error.message : String(error)}. Close this window and try again.`;
});
