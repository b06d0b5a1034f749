// The ribbon's function file. The "Who Can Federate" button opens the task pane (ShowTaskpane in the
// manifest), so no command runs here; Outlook still loads this page for the group, and Office.js must
// be initialised on it.
Office.onReady(() => {
  // Nothing to register.
});
