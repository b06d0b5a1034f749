import { Caption1, Switch, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState, type ReactElement } from 'react';
import { CLOUD_SHORT_NAMES, type Cloud } from '../../core/cloud';
import type { RememberedSwitch } from '../useRememberedSwitch';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  explain: { color: tokens.colorNeutralForeground2 },
  problem: { color: tokens.colorPaletteDarkOrangeForeground1 },
});

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
  const styles = useStyles();
  const [problem, setProblem] = useState<string | undefined>();
  const [own, setOwn] = useState<{ cloud: Cloud; known: boolean } | undefined>();
  useEffect(() => {
    let live = true;
    ownCloud().then(
      (found) => live && setOwn(found),
      (error: unknown) => live && setProblem((error as Error).message),
    );
    return () => {
      live = false;
    };
  }, [ownCloud]);
  const change = (on: boolean): void => {
    setProblem(undefined);
    (on ? noEntra.turnOff() : noEntra.turnOn()).catch((error: unknown) =>
      setProblem((error as Error).message),
    );
  };
  return (
    <div className={styles.root}>
      <Switch
        label="Ask Microsoft's sign-in service"
        checked={!noEntra.on}
        onChange={(_event, data) => change(data.checked)}
        data-testid="entra-setting"
      />
      <Caption1 as="p" className={styles.explain}>
        Finds organisations that use Microsoft 365 although their DNS doesn&apos;t show it (for example, when
        their mail goes through another filter). Only the domain is sent, and only for domains whose DNS
        leaves the answer open. Takes effect on the next check.
      </Caption1>
      {own && (
        <Caption1 as="p" className={styles.explain} data-testid="own-cloud">
          {own.known
            ? `Your organisation is in Microsoft's ${CLOUD_SHORT_NAMES[own.cloud]} cloud: Teams reaches other clouds only through federation records.`
            : `We assume your organisation is in Microsoft's commercial cloud: Teams reaches other clouds only through federation records.`}
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
