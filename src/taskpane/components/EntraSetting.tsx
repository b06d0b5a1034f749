import { Caption1 } from '@fluentui/react-components';
import { useEffect, useState, type ReactElement } from 'react';
import { CLOUD_SHORT_NAMES, type Cloud } from '../../core/cloud';
import type { RememberedSwitchView as RememberedSwitch } from '../session/remembered-switch';
import { SettingSwitch, useSettingStatusStyles } from './SettingSwitch';

/**
 * "Ask Microsoft's sign-in service": on by default (the switch stores the opposite, `noEntra`, so
 * "off unless turned on" keeps it on). Says which Microsoft cloud the answers assume the user is in.
 */
export function EntraSetting({
  noEntra,
  ownCloud,
}: {
  noEntra: RememberedSwitch;
  ownCloud: () => Promise<{ cloud: Cloud; known: boolean }>;
}): ReactElement {
  const styles = useSettingStatusStyles();
  const [own, setOwn] = useState<{ cloud: Cloud; known: boolean } | { problem: string } | undefined>();
  useEffect(() => {
    let live = true;
    ownCloud().then(
      (found) => live && setOwn(found),
      (error: unknown) => live && setOwn({ problem: (error as Error).message }),
    );
    return () => {
      live = false;
    };
  }, [ownCloud]);
  return (
    <SettingSwitch
      label="Ask Microsoft's sign-in service"
      checked={!noEntra.on}
      onChange={(on) => (on ? noEntra.turnOff() : noEntra.turnOn())}
      testId="entra-setting"
      explain="Finds organisations that use Microsoft 365 although their DNS doesn't show it (for example, when their mail goes through another filter). Only the domain is sent, and only for domains whose DNS leaves the answer open. Takes effect on the next check."
    >
      {own && 'problem' in own ? (
        <Caption1 role="alert" className={styles.problem}>
          {own.problem}
        </Caption1>
      ) : own ? (
        <Caption1 as="p" className={styles.explain} data-testid="own-cloud">
          {own.known
            ? `Your organisation is in Microsoft's ${CLOUD_SHORT_NAMES[own.cloud]} cloud: Teams reaches other clouds only through federation records.`
            : `We assume your organisation is in Microsoft's commercial cloud: Teams reaches other clouds only through federation records.`}
        </Caption1>
      ) : null}
    </SettingSwitch>
  );
}
