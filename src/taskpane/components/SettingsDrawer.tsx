import {
  Button,
  Caption1,
  DrawerBody,
  DrawerHeader,
  DrawerHeaderTitle,
  Link,
  OverlayDrawer,
  Subtitle2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { Dismiss20Regular } from '@fluentui/react-icons';
import type { ReactNode, ReactElement } from 'react';

const useStyles = makeStyles({
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  secondary: { color: tokens.colorNeutralForeground2 },
});

/** Settings, help and privacy: out of the way of the answer, one click from anywhere in the pane. */
export function SettingsDrawer({
  open,
  onClose,
  community,
  checking,
}: {
  open: boolean;
  onClose: () => void;
  /** How much each check asks ("Thorough check"). */
  checking: ReactNode;
  /** The community directory's settings (sharing, looking up), when this copy has a directory. */
  community: ReactNode;
}): ReactElement {
  const styles = useStyles();
  return (
    <OverlayDrawer
      open={open}
      position="end"
      aria-label="Settings"
      onOpenChange={(_, data) => !data.open && onClose()}
    >
      <DrawerHeader>
        <DrawerHeaderTitle
          action={
            <Button
              appearance="subtle"
              aria-label="Close settings"
              icon={<Dismiss20Regular />}
              onClick={onClose}
            />
          }
        >
          Settings
        </DrawerHeaderTitle>
      </DrawerHeader>
      <DrawerBody className={styles.body}>
        <section className={styles.section} aria-labelledby="checking-title">
          <Subtitle2 as="h2" id="checking-title">
            Checking
          </Subtitle2>
          {checking}
        </section>
        {community && (
          <section className={styles.section} aria-labelledby="community-title">
            <Subtitle2 as="h2" id="community-title">
              Community directory
            </Subtitle2>
            {community}
          </section>
        )}
        <section className={styles.section} aria-labelledby="about-title">
          <Subtitle2 as="h2" id="about-title">
            About the answers
          </Subtitle2>
          <Caption1 as="p" className={styles.secondary}>
            The add-in reads what each domain publishes in DNS. That shows whether a domain <em>can</em>{' '}
            federate, not whether its administrators allow you. “Likely via Teams” means the domain uses
            Microsoft 365, whose Teams accepts chats from other organisations unless its admins turned that
            off.
          </Caption1>
          <Caption1>
            <Link href="support.html" target="_blank">
              Help
            </Link>{' '}
            ·{' '}
            <Link href="privacy.html" target="_blank">
              Privacy
            </Link>
          </Caption1>
        </section>
      </DrawerBody>
    </OverlayDrawer>
  );
}
