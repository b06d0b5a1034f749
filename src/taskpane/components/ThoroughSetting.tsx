import { Caption1, Switch, makeStyles, tokens } from '@fluentui/react-components';
import { useState, type ReactElement } from 'react';
import type { RememberedSwitch } from '../useRememberedSwitch';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  explain: { color: tokens.colorNeutralForeground2 },
  problem: { color: tokens.colorPaletteDarkOrangeForeground1 },
});

/**
 * "Thorough check": off by default, so that every answer comes first and fast. When on, every
 * check also asks what no answer needs (client access, Matrix, Cisco) of everyone.
 */
export function ThoroughSetting({ thorough }: { thorough: RememberedSwitch }): ReactElement {
  const styles = useStyles();
  const [problem, setProblem] = useState<string | undefined>();
  const change = (on: boolean): void => {
    setProblem(undefined);
    (on ? thorough.turnOn() : thorough.turnOff()).catch((error: unknown) =>
      setProblem((error as Error).message),
    );
  };
  return (
    <div className={styles.root}>
      <Switch
        label="Thorough check"
        checked={thorough.on}
        onChange={(_event, data) => change(data.checked)}
      />
      <Caption1 as="p" className={styles.explain}>
        Also finds out, for everyone, whether they can sign in to XMPP or Skype for Business from outside, and
        whether they are on Matrix or Cisco Jabber / Webex. About twice as many questions, so a large address
        book takes longer. When off, these are asked only when you open a person.
      </Caption1>
      {problem && (
        <Caption1 role="alert" className={styles.problem}>
          {problem}
        </Caption1>
      )}
    </div>
  );
}
