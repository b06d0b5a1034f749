import {
  Body1,
  Button,
  Caption1,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Link,
  Switch,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState, type ReactElement } from 'react';
import type { DomainVerdict } from '../../core/verdict';
import type { ShareState } from '../../share/share-queue';
import type { Sharing } from '../session/sharing';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  explain: { color: tokens.colorNeutralForeground2 },
  status: { color: tokens.colorNeutralForeground3 },
  problem: { color: tokens.colorPaletteDarkOrangeForeground1 },
  payload: {
    margin: 0,
    maxHeight: '40vh',
    overflow: 'auto',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    padding: tokens.spacingHorizontalS,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
  },
});

const time = (ms: number): string =>
  new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function statusLine(state: ShareState): { text: string; problem: boolean } | undefined {
  switch (state.kind) {
    case 'waiting':
      return {
        text: `${plural(state.domains, 'domain')} will be sent at about ${time(state.sendAt)}.`,
        problem: false,
      };
    case 'sending':
      return { text: `Sending ${plural(state.domains, 'domain')}…`, problem: false };
    case 'sent':
      return {
        text: `Sent ${plural(state.domains, 'domain')} at ${time(state.at)}. Thank you.`,
        problem: false,
      };
    case 'failed':
      return {
        text:
          state.retryAt === null
            ? `Not sent: ${state.message}.`
            : `Not sent yet: ${state.message}. Trying again at about ${time(state.retryAt)}; nothing is lost.`,
        problem: true,
      };
    default:
      return undefined;
  }
}

/**
 * The "Share anonymously" setting: off by default, explained in one paragraph, with the exact
 * payload shown before sharing is first turned on (and whenever asked).
 */
export function SharingSetting({
  sharing,
  verdicts,
}: {
  sharing: Sharing;
  /** The verdicts on screen: what turning sharing on would send first. */
  verdicts: () => Iterable<DomainVerdict>;
}): ReactElement | null {
  const styles = useStyles();
  const [dialog, setDialog] = useState<{ confirm: boolean; bodies: string[] } | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  if (!sharing.available) return null;
  const host = new URL(sharing.collectorUrl).host;
  const status = sharing.enabled ? statusLine(sharing.state) : undefined;

  const payload = (): string[] => sharing.preview(verdicts());
  const change = (on: boolean): void => {
    setProblem(undefined);
    if (on) setDialog({ confirm: true, bodies: payload() });
    else sharing.disable().catch((error: unknown) => setProblem((error as Error).message));
  };
  const confirm = (): void => {
    setDialog(undefined);
    sharing
      .enable()
      .then(() => sharing.offer(verdicts()))
      .catch((error: unknown) => setProblem((error as Error).message));
  };

  return (
    <div className={styles.root}>
      <Switch
        label="Share anonymously"
        checked={sharing.enabled}
        onChange={(_event, data) => change(data.checked)}
      />
      <Caption1 as="p" className={styles.explain}>
        Off unless you turn it on. When on, the names of the domains found with federation records, and which
        records were found, are sent to {host} a few minutes later, in batches. Never sent: your contacts,
        names, addresses, who you are, your organisation, or any sign-in token; consumer mail providers are
        never shared. Turn it off at any time.{' '}
        <Link href="privacy.html" target="_blank">
          Privacy notice
        </Link>{' '}
        ·{' '}
        <Link as="button" onClick={() => setDialog({ confirm: false, bodies: payload() })}>
          Preview what is sent
        </Link>
      </Caption1>
      {status && (
        <Caption1 role="status" className={status.problem ? styles.problem : styles.status}>
          {status.text}
        </Caption1>
      )}
      {problem && (
        <Caption1 role="alert" className={styles.problem}>
          {problem}
        </Caption1>
      )}
      <Dialog open={dialog !== undefined} onOpenChange={(_event, data) => !data.open && setDialog(undefined)}>
        <DialogSurface aria-describedby="share-preview-what">
          <DialogBody>
            <DialogTitle>{dialog?.confirm ? 'Share anonymously?' : 'What is sent'}</DialogTitle>
            <DialogContent>
              <Body1 as="p" id="share-preview-what">
                {dialog && dialog.bodies.length > 0
                  ? `Exactly ${dialog.bodies.length === 1 ? 'this' : `these ${dialog.bodies.length} requests`} would be sent to ${sharing.collectorUrl}/v1/reports, with no cookies, credentials or identifier:`
                  : 'Nothing would be sent now: no checked domain has a federation record yet. After a check, only the domains found with records are sent, as {"domains":[{"domain":"…","records":["_sipfederationtls._tcp"]}]}.'}
              </Body1>
              {dialog?.bodies.map((body, index) => (
                <pre key={index} className={styles.payload} data-testid="share-payload">
                  {body}
                </pre>
              ))}
              {dialog?.confirm && (
                <Text as="p">
                  You can turn this off at any time; what is still waiting is then never sent.
                </Text>
              )}
            </DialogContent>
            <DialogActions>
              {dialog?.confirm ? (
                <>
                  <Button appearance="primary" onClick={confirm}>
                    Turn on sharing
                  </Button>
                  <Button onClick={() => setDialog(undefined)}>Cancel</Button>
                </>
              ) : (
                <Button appearance="primary" onClick={() => setDialog(undefined)}>
                  Close
                </Button>
              )}
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </div>
  );
}
