import { lookUpInDirectory, type DirectoryFetch, type DirectoryFinding } from '../../share/directory-lookup';
import type { PaneConfig } from '../../config';
import type { SettingsStore } from '../settings';
import { ExternalStore } from './external-store';
import { RememberedSwitch } from './remembered-switch';

/** The setting's name in Outlook's roaming settings (or local storage). */
export const DIRECTORY_SETTING = 'useCommunityDirectory';

export type DirectoryStatus =
  { kind: 'idle' } | { kind: 'looking' } | { kind: 'done'; known: number; failedBuckets: number };

export interface CommunityDirectory {
  available: boolean;
  enabled: boolean;
  status: DirectoryStatus;
  /** Domain → what the directory knows. */
  findings: ReadonlyMap<string, DirectoryFinding>;
  enable(): Promise<void>;
  disable(): Promise<void>;
  /**
   * Looks the domains up (only while the setting is on); never touches the DNS results. The same
   * domains again are not asked again unless the last look-up failed.
   */
  lookUp(domains: readonly string[]): void;
}

/** The pane's opt-in private look-ups in the community directory. */
export class DirectorySession extends ExternalStore<CommunityDirectory> {
  private readonly choice: RememberedSwitch;
  private current: AbortController | undefined;
  /** The domains of the look-up under way or last done well: asking for them again is a no-op. */
  private asked: string | undefined;

  constructor(
    private readonly dependencies: {
      config: Pick<PaneConfig, 'collectorUrl'>;
      settings: SettingsStore;
      fetch: DirectoryFetch;
    },
  ) {
    const choice = new RememberedSwitch(dependencies.settings, DIRECTORY_SETTING);
    super({
      available: dependencies.config.collectorUrl !== '',
      enabled: choice.isOn(),
      status: { kind: 'idle' },
      findings: new Map(),
      enable: () => this.enable(),
      disable: () => this.disable(),
      lookUp: (domains) => this.lookUp(domains),
    });
    this.choice = choice;
    choice.subscribe(() => this.set({ enabled: choice.isOn() }));
  }

  enable(): Promise<void> {
    return this.choice.turnOn();
  }

  async disable(): Promise<void> {
    this.current?.abort();
    this.asked = undefined;
    this.set({ findings: new Map(), status: { kind: 'idle' } });
    await this.choice.turnOff();
  }

  lookUp(domains: readonly string[]): void {
    const { collectorUrl } = this.dependencies.config;
    if (!this.choice.isOn() || collectorUrl === '' || domains.length === 0) return;
    const key = domains.join('\n');
    if (this.asked === key) return;
    this.asked = key;
    this.current?.abort();
    const controller = new AbortController();
    this.current = controller;
    this.set({ status: { kind: 'looking' } });
    void lookUpInDirectory(domains, {
      collectorUrl,
      fetch: this.dependencies.fetch,
      signal: controller.signal,
    }).then(
      (result) => {
        if (controller.signal.aborted) return;
        this.set({
          findings: result.findings,
          status: { kind: 'done', known: result.findings.size, failedBuckets: result.failedBuckets },
        });
        if (result.failedBuckets > 0) this.asked = undefined;
      },
      () => {
        if (controller.signal.aborted) return;
        this.asked = undefined;
        this.set({ status: { kind: 'done', known: 0, failedBuckets: 1 } });
      },
    );
  }

  /** Stops the look-up under way (the pane is closing). */
  stop(): void {
    this.current?.abort();
    this.asked = undefined;
  }
}
