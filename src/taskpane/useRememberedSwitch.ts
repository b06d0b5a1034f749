import { useCallback, useRef, useState } from 'react';
import type { SettingsStore } from './settings';

export interface RememberedSwitch {
  on: boolean;
  /** The choice right now, for callbacks that outlive the render they were made in (a long check). */
  isOn(): boolean;
  /** Saves first: if saving fails, the switch stays off. */
  turnOn(): Promise<void>;
  /** Takes effect at once, then saves: turning a privacy setting off must not wait on storage. */
  turnOff(): Promise<void>;
}

/** An on/off choice, off unless the person turned it on, remembered in the settings store. */
export function useRememberedSwitch(settings: SettingsStore, name: string): RememberedSwitch {
  const [on, setOn] = useState(() => settings.read(name) === true);
  const onNow = useRef(on);
  const isOn = useCallback(() => onNow.current, []);
  const turnOn = useCallback(async () => {
    await settings.write(name, true);
    onNow.current = true;
    setOn(true);
  }, [settings, name]);
  const turnOff = useCallback(async () => {
    onNow.current = false;
    setOn(false);
    await settings.write(name, false);
  }, [settings, name]);
  return { on, isOn, turnOn, turnOff };
}
