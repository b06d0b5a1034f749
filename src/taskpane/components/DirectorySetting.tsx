import { Caption1, Switch, makeStyles, tokens } from '@fluentui/react-components';
import { useState, type ReactElement } from 'react';
import type { CommunityDirectory } from '../useDirectory';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  explain: { color: tokens.colorNeutralForeground2 },
  status: { color: tokens.colorNeutralForeground3 },
  problem: { color: tokens.colorPaletteDarkOrangeForeground1 },
});

/**
 * "Use the community directory": off by default, explained like the sharing setting. When on, the
 * directory's own live checks appear beside the pane's DNS answers.
 */
export function DirectorySetting({
  directory,
  onEnabled,
}: {
  directory: CommunityDirectory;
  /** Called once the setting is on, to look up what is on screen. */
  onEnabled: () => void;
}): ReactElement | null {
  const styles = useStyles();
  const [problem, setProblem] = useState<string | undefined>();
  if (!directory.available) return null;
  const change = (on: boolean): void => {
    setProblem(undefined);
    (on ? directory.enable().then(onEnabled) : directory.disable()).catch((error: unknown) =>
      setProblem((error as Error).message),
    );
  };
  const { status } = directory;
  return (
    <div className={styles.root}>
      <Switch
        label="Use the community directory"
        checked={directory.enabled}
        onChange={(_event, data) => change(data.checked)}
      />
      <Caption1 as="p" className={styles.explain}>
        Off unless you turn it on. When on, the add-in shows whether the directory found a domain&apos;s
        federation edge answering when it last checked. Your domains are not sent: only the first 5 characters
        of each domain&apos;s SHA-256 hash, shared by many domains, and the answers are matched on this
        device.
      </Caption1>
      {directory.enabled && status.kind !== 'idle' && (
        <Caption1
          role="status"
          className={status.kind === 'done' && status.failedBuckets > 0 ? styles.problem : styles.status}
        >
          {status.kind === 'looking'
            ? 'Asking the community directory…'
            : status.failedBuckets > 0
              ? `The directory could not be reached for some domains; your DNS results are unaffected.`
              : `The directory knows ${status.known} of these domains.`}
        </Caption1>
      )}
      {problem && (
        <Caption1 role="alert" className={styles.problem}>
          {problem}
        </Caption1>
      )}
    </div>
  );
}
