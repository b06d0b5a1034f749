/** Where the pane remembers a person's choices: Outlook's roaming settings inside Outlook, else local storage. */
export interface SettingsStore {
  read(name: string): unknown;
  write(name: string, value: unknown): Promise<void>;
}

/**
 * Outlook's roaming settings: they follow the mailbox to every Outlook the person uses, so a choice
 * made once (like turning sharing off) holds everywhere.
 */
export function roamingSettings(settings: Office.RoamingSettings): SettingsStore {
  return {
    read: (name) => settings.get(name) as unknown,
    write: (name, value) =>
      new Promise((resolve, reject) => {
        settings.set(name, value);
        settings.saveAsync((result) => {
          if (result.status === Office.AsyncResultStatus.Succeeded) resolve();
          else reject(new Error(`Outlook could not save the setting: ${result.error.message}`));
        });
      }),
  };
}

/** Local storage, outside Outlook (a plain browser). */
export function localSettings(storage: Storage, prefix = 'wcf.settings.'): SettingsStore {
  return {
    read: (name) => {
      const text = storage.getItem(prefix + name);
      if (text === null) return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return undefined;
      }
    },
    write: async (name, value) => storage.setItem(prefix + name, JSON.stringify(value)),
  };
}

/** The setting that turns Entra ID discovery off (off by default: discovery is on). */
export const NO_ENTRA_SETTING = 'noEntraDiscovery';

/** The setting that asks every check for every record ("Thorough check"), off by default. */
export const THOROUGH_SETTING = 'thoroughCheck';
