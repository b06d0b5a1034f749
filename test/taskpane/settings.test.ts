import { localSettings, roamingSettings } from '../../src/taskpane/settings';

class MemoryStorage {
  items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
}

describe('localSettings', () => {
  test('remembers a choice, and reads nothing for one never made or damaged', async () => {
    const storage = new MemoryStorage();
    const settings = localSettings(storage as unknown as Storage);
    expect(settings.read('shareAnonymously')).toBeUndefined();
    await settings.write('shareAnonymously', true);
    expect(settings.read('shareAnonymously')).toBe(true);
    expect(storage.items.get('wcf.settings.shareAnonymously')).toBe('true');
    storage.items.set('wcf.settings.shareAnonymously', '{not json');
    expect(settings.read('shareAnonymously')).toBeUndefined();
  });
});

describe('roamingSettings', () => {
  const Succeeded = 'succeeded';
  beforeAll(() => {
    (globalThis as unknown as { Office: unknown }).Office = {
      AsyncResultStatus: { Succeeded, Failed: 'failed' },
    };
  });
  afterAll(() => {
    delete (globalThis as unknown as { Office?: unknown }).Office;
  });

  /** Outlook's RoamingSettings as the API behaves: set in memory, saveAsync to the mailbox. */
  function outlookSettings(saveFails = false) {
    const values = new Map<string, unknown>();
    const saved = new Map<string, unknown>();
    const api = {
      get: (name: string) => values.get(name),
      set: (name: string, value: unknown) => values.set(name, value),
      remove: (name: string) => values.delete(name),
      saveAsync: (callback: (result: { status: string; error: { message: string } }) => void) => {
        if (!saveFails) for (const [k, v] of values) saved.set(k, v);
        setTimeout(() =>
          callback({ status: saveFails ? 'failed' : Succeeded, error: { message: 'quota exceeded' } }),
        );
      },
    };
    return { api: api as unknown as Office.RoamingSettings, saved };
  }

  test('writes through to the mailbox and reads back', async () => {
    const { api, saved } = outlookSettings();
    const settings = roamingSettings(api);
    await settings.write('shareAnonymously', true);
    expect(saved.get('shareAnonymously')).toBe(true);
    expect(settings.read('shareAnonymously')).toBe(true);
  });

  test('a failed save is an error the pane can show', async () => {
    const { api } = outlookSettings(true);
    await expect(roamingSettings(api).write('shareAnonymously', false)).rejects.toThrow(
      'Outlook could not save the setting: quota exceeded',
    );
  });
});
