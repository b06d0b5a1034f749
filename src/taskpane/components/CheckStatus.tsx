import {
  Body1,
  Button,
  Caption1,
  ProgressBar,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import type { ReactElement } from 'react';
import type { ContactsProgress } from '../../graph/contacts';
import { count } from '../present';
import type { CheckProgress } from '../session/federation-check';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  line: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  grow: { flexGrow: 1, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  secondary: { color: tokens.colorNeutralForeground2 },
});

/**
 * What is happening now, in answers: "Loading contacts… 120 from 3 folders", "40 of 84 domains
 * answered", "Waiting for 1 slow domain: x.example…", then, quieter, "Still checking 30 “No”
 * answers…" (Microsoft 365 evidence that may still make them "Likely via Teams") and "Finishing details for
 * 12 domains…" (records that cannot change an answer). Not a live region (it changes many times a
 * second); the pane announces the start and the end instead.
 */
export function CheckStatus({
  loading,
  progress,
  stopped,
  onCancel,
}: {
  loading: ContactsProgress | undefined;
  progress: CheckProgress | undefined;
  stopped: CheckProgress | undefined;
  onCancel: () => void;
}): ReactElement | null {
  const styles = useStyles();
  if (!loading && !progress && !stopped) return null;
  if (!loading && !progress && stopped) {
    return (
      <Caption1 className={styles.secondary} data-testid="stopped">
        {stopped.done < stopped.total
          ? `Stopped: ${count(stopped.done)} of ${count(stopped.total)} domains have an answer; the rest show as “Not checked”.`
          : 'Stopped: every domain has an answer, but not every detail is in.'}
        {stopped.noLeft > 0 &&
          ` ${count(stopped.noLeft)} “No” ${stopped.noLeft === 1 ? 'answer is' : 'answers are'} not final (marked with an hourglass): check again to finish.`}
      </Caption1>
    );
  }
  if (!loading && progress && progress.total > 0 && progress.done === progress.total) {
    // Every answer is on screen: what is left is said quietly, first the "No" answers that Microsoft 365
    // evidence may still change, then the details that cannot change any.
    return (
      <div className={styles.line} data-testid="progress" data-phase="details" aria-label="Progress">
        <Caption1
          className={mergeClasses(styles.grow, styles.secondary)}
          title={
            progress.noLeft > 0
              ? 'Checking whether they use Microsoft 365, which would make them “Likely via Teams”.'
              : undefined
          }
        >
          {progress.noLeft > 0
            ? `Still checking ${count(progress.noLeft)} “No” answer${progress.noLeft === 1 ? '' : 's'}…`
            : progress.detailsLeft > 0
              ? `Finishing details for ${count(progress.detailsLeft)} domain${progress.detailsLeft === 1 ? '' : 's'}…`
              : 'Finishing…'}
        </Caption1>
        <Button size="small" appearance="subtle" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    );
  }
  const text = loading
    ? `Loading contacts… ${count(loading.contacts)} from ${count(loading.folders)} folder${loading.folders === 1 ? '' : 's'}`
    : progress && progress.waitingFor.length > 0
      ? `Waiting for ${progress.waitingFor.length} slow domain${progress.waitingFor.length === 1 ? '' : 's'}: ${progress.waitingFor.join(', ')}…`
      : `${count(progress?.done ?? 0)} of ${count(progress?.total ?? 0)} domains answered`;
  return (
    <section className={styles.root} aria-label="Progress" data-testid="progress">
      <div className={styles.line}>
        <Body1 className={styles.grow} title={text}>
          {text}
        </Body1>
        <Button size="small" onClick={onCancel}>
          Cancel
        </Button>
      </div>
      <ProgressBar
        aria-label={loading ? 'Loading contacts' : 'Checking domains'}
        thickness="medium"
        value={loading ? undefined : progress && progress.total > 0 ? progress.done / progress.total : 1}
      />
    </section>
  );
}
