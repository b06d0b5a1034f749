import { Body1, Button, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { Settings20Regular } from '@fluentui/react-icons';
import { lazy, Suspense, useRef, type ReactElement } from 'react';

/** The folded sources, after the first check: loaded with the results (see App.tsx's loadResults). */
export const loadCheckAgainMenu = () => import(/* webpackChunkName: "results" */ './CheckAgainMenu.js');
const CheckAgainMenu = lazy(() => loadCheckAgainMenu().then((m) => ({ default: m.CheckAgainMenu })));

const useStyles = makeStyles({
  first: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  again: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  grow: { flexGrow: 1 },
  hidden: { display: 'none' },
});

/**
 * Where to check people from. Before the first check: the three sources as buttons, explained.
 * After it: one "Check again" menu and the settings button, so the answer gets the screen.
 */
export function SourceActions(props: {
  firstRun: boolean;
  busy: boolean;
  signingIn: boolean;
  hasMessage: boolean;
  onContacts: () => void;
  onMessage: () => void;
  onFile: (file: File) => void;
  onSettings: () => void;
}): ReactElement {
  const styles = useStyles();
  const fileInput = useRef<HTMLInputElement>(null);
  const input = (
    <input
      ref={fileInput}
      className={styles.hidden}
      type="file"
      accept=".csv,.vcf,text/csv,text/vcard"
      aria-label="Contacts file (CSV or vCard)"
      data-testid="contacts-file"
      tabIndex={-1}
      onChange={(event) => {
        const file = event.target.files?.[0];
        event.target.value = '';
        if (file) props.onFile(file);
      }}
    />
  );
  const settings = (
    <Button
      appearance="subtle"
      icon={<Settings20Regular />}
      aria-label="Settings"
      title="Settings, help and privacy"
      onClick={props.onSettings}
    />
  );
  const contactsLabel = props.signingIn ? 'Signing in…' : 'Check my contacts';
  if (props.firstRun) {
    return (
      <section className={styles.first} aria-label="What to check">
        <div className={styles.again}>
          <Body1 className={styles.grow}>
            See which of your contacts you can reach from Teams, Skype for Business or XMPP.
          </Body1>
          {settings}
        </div>
        <Button
          appearance="primary"
          disabled={props.busy || props.signingIn}
          icon={props.signingIn ? <Spinner size="tiny" /> : undefined}
          onClick={props.onContacts}
        >
          {contactsLabel}
        </Button>
        {props.hasMessage && (
          <Button disabled={props.busy} onClick={props.onMessage}>
            Check people on this message
          </Button>
        )}
        <Button disabled={props.busy} onClick={() => fileInput.current?.click()}>
          Import a contacts file…
        </Button>
        {input}
      </section>
    );
  }
  return (
    <section className={styles.again} aria-label="What to check">
      <Suspense
        fallback={
          <Button className={styles.grow} disabled>
            Check again
          </Button>
        }
      >
        <CheckAgainMenu
          className={styles.grow}
          disabled={props.busy || props.signingIn}
          signingIn={props.signingIn}
          hasMessage={props.hasMessage}
          onContacts={props.onContacts}
          onMessage={props.onMessage}
          onPickFile={() => fileInput.current?.click()}
        />
      </Suspense>
      {settings}
      {input}
    </section>
  );
}
