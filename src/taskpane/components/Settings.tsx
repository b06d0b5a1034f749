import type { ReactElement } from 'react';
import type { DomainVerdict } from '../../core/verdict';
import type { CommunityDirectory } from '../session/directory';
import type { Sharing } from '../session/sharing';
import { DirectorySetting } from './DirectorySetting';
import { SettingsDrawer } from './SettingsDrawer';
import { SharingSetting } from './SharingSetting';
import { ThoroughSetting } from './ThoroughSetting';
import { EntraSetting } from './EntraSetting';
import type { Cloud } from '../../core/cloud';
import type { RememberedSwitchView as RememberedSwitch } from '../session/remembered-switch';

/** The settings drawer ("Thorough check", the community directory's two settings): one chunk, loaded when first opened. */
export function Settings({
  open,
  onClose,
  sharing,
  directory,
  verdicts,
  onDirectoryEnabled,
  thorough,
  entra,
}: {
  open: boolean;
  onClose: () => void;
  sharing: Sharing;
  directory: CommunityDirectory;
  verdicts: () => Iterable<DomainVerdict>;
  onDirectoryEnabled: () => void;
  thorough: RememberedSwitch;
  /** Entra ID discovery's setting, where the build has a sign-in service to ask. */
  entra?: {
    noEntra: RememberedSwitch;
    ownCloud: () => Promise<{ cloud: Cloud; known: boolean }>;
  };
}): ReactElement {
  return (
    <SettingsDrawer
      open={open}
      onClose={onClose}
      checking={
        <>
          <ThoroughSetting thorough={thorough} />
          {entra && <EntraSetting {...entra} />}
        </>
      }
      community={
        sharing.available || directory.available ? (
          <>
            <SharingSetting sharing={sharing} verdicts={verdicts} />
            <DirectorySetting directory={directory} onEnabled={onDirectoryEnabled} />
          </>
        ) : null
      }
    />
  );
}
