import { Caption1 } from '@fluentui/react-components';
import type { ReactElement } from 'react';
import type { CommunityDirectory } from '../session/directory';
import { SettingSwitch, useSettingStatusStyles } from './SettingSwitch';

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
  const styles = useSettingStatusStyles();
  if (!directory.available) return null;
  const { status } = directory;
  return (
    <SettingSwitch
      label="Use the community directory"
      checked={directory.enabled}
      onChange={(on) => (on ? directory.enable().then(onEnabled) : directory.disable())}
      explain="Off unless you turn it on. When on, the add-in shows whether the directory found a domain's federation edge answering when it last checked. Your domains are not sent: only the first 5 characters of each domain's SHA-256 hash, shared by many domains, and the answers are matched on this device."
    >
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
    </SettingSwitch>
  );
}
