import { Caption1, Switch, makeStyles, tokens } from '@fluentui/react-components';
import { useState, type ReactElement, type ReactNode } from 'react';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  explain: { color: tokens.colorNeutralForeground2 },
  problem: { color: tokens.colorPaletteDarkOrangeForeground1 },
});

/** The tone of a setting's own status lines (children of {@link SettingSwitch}). */
export const useSettingStatusStyles = makeStyles({
  status: { color: tokens.colorNeutralForeground3 },
  explain: { color: tokens.colorNeutralForeground2 },
  problem: { color: tokens.colorPaletteDarkOrangeForeground1 },
});

/**
 * One setting of the drawer: a switch, what it does in words, what it says of itself (`children`),
 * and why a change failed (saving a setting can: roaming settings live in the mailbox).
 */
export function SettingSwitch({
  label,
  checked,
  onChange,
  explain,
  children,
  testId,
}: {
  label: string;
  checked: boolean;
  /** Saves the choice; a rejection is shown under the switch. */
  onChange: (on: boolean) => Promise<unknown>;
  explain: ReactNode;
  children?: ReactNode;
  testId?: string;
}): ReactElement {
  const styles = useStyles();
  const [problem, setProblem] = useState<string | undefined>();
  const change = (on: boolean): void => {
    setProblem(undefined);
    onChange(on).catch((error: unknown) => setProblem((error as Error).message));
  };
  return (
    <div className={styles.root}>
      <Switch
        label={label}
        checked={checked}
        onChange={(_event, data) => change(data.checked)}
        data-testid={testId}
      />
      <Caption1 as="p" className={styles.explain}>
        {explain}
      </Caption1>
      {children}
      {problem && (
        <Caption1 role="alert" className={styles.problem}>
          {problem}
        </Caption1>
      )}
    </div>
  );
}
