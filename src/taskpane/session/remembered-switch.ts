import type { SettingsStore } from '../settings';
import { ExternalStore } from './external-store';

/** An on/off choice as components see it: its state, and how to change it. */
export interface RememberedSwitchView {
  on: boolean;
  /** The choice right now, for callbacks that outlive the snapshot they were made in (a long check). */
  isOn(): boolean;
  /** Saves first: if saving fails, the switch stays off. */
  turnOn(): Promise<void>;
  /** Takes effect at once, then saves: turning a privacy setting off must not wait on storage. */
  turnOff(): Promise<void>;
}

/** An on/off choice, off unless the person turned it on, remembered in the settings store. */
export class RememberedSwitch extends ExternalStore<RememberedSwitchView> {
  constructor(
    private readonly settings: SettingsStore,
    private readonly name: string,
  ) {
    super({
      on: settings.read(name) === true,
      isOn: () => this.getSnapshot().on,
      turnOn: () => this.turnOn(),
      turnOff: () => this.turnOff(),
    });
  }

  /** Whether the choice is on now. */
  isOn(): boolean {
    return this.getSnapshot().on;
  }

  async turnOn(): Promise<void> {
    await this.settings.write(this.name, true);
    this.set({ on: true });
  }

  async turnOff(): Promise<void> {
    this.set({ on: false });
    await this.settings.write(this.name, false);
  }
}
