import { reportedDomains } from '../../core/report';
import type { DomainVerdict } from '../../core/verdict';
import { ShareQueue, type PendingStore, type ShareFetch, type ShareState } from '../../share/share-queue';
import type { PaneConfig } from '../../config';
import type { SettingsStore } from '../settings';
import { ExternalStore } from './external-store';
import { RememberedSwitch } from './remembered-switch';

/** The setting's name in Outlook's roaming settings (or local storage). */
export const SHARE_SETTING = 'shareAnonymously';

export interface Sharing {
  /** Whether this build has a directory to share with at all. */
  available: boolean;
  collectorUrl: string;
  enabled: boolean;
  state: ShareState;
  /** The exact bodies that would be sent now, with these verdicts' domains added. */
  preview(verdicts: Iterable<DomainVerdict>): string[];
  enable(): Promise<void>;
  disable(): Promise<void>;
  /** Hands a check's verdicts over; only used while sharing is on. */
  offer(verdicts: Iterable<DomainVerdict>): void;
}

/** What sharing needs of the pane: its build settings, where choices and waiting domains are kept, and `fetch`. */
export interface SharingDependencies {
  config: Pick<PaneConfig, 'collectorUrl' | 'shareDelayMs'>;
  settings: SettingsStore;
  pending: PendingStore;
  fetch: ShareFetch;
}

/** The pane's opt-in sharing: the remembered choice and the queue that sends, in the background. */
export class SharingSession extends ExternalStore<Sharing> {
  private readonly queue: ShareQueue | undefined;
  private readonly choice: RememberedSwitch;

  constructor({ config, settings, pending, fetch }: SharingDependencies) {
    const choice = new RememberedSwitch(settings, SHARE_SETTING);
    super({
      available: config.collectorUrl !== '',
      collectorUrl: config.collectorUrl,
      enabled: choice.isOn(),
      state: { kind: 'idle' },
      preview: (verdicts) => this.queue?.previewBodies(reportedDomains(verdicts)) ?? [],
      enable: () => this.enable(),
      disable: () => this.disable(),
      offer: (verdicts) => this.offer(verdicts),
    });
    this.choice = choice;
    this.queue =
      config.collectorUrl === ''
        ? undefined
        : new ShareQueue({
            collectorUrl: config.collectorUrl,
            fetch,
            store: pending,
            delay: config.shareDelayMs,
            onState: (state) => this.set({ state }),
          });
    choice.subscribe(() => this.set({ enabled: choice.isOn() }));
  }

  async enable(): Promise<void> {
    await this.choice.turnOn();
    this.queue?.resume();
  }

  /** Forgets what was waiting, at once, then saves the choice. */
  async disable(): Promise<void> {
    this.queue?.clear();
    await this.choice.turnOff();
  }

  /** Called when a long check ends: the choice may have changed while it ran. */
  offer(verdicts: Iterable<DomainVerdict>): void {
    if (this.choice.isOn()) this.queue?.add(reportedDomains(verdicts));
  }

  /** Sends, after a fresh random wait, what earlier panes could not, if sharing is on. */
  resume(): void {
    if (this.choice.isOn()) this.queue?.resume();
  }

  /** Stops the queue's timers (the pane is closing); what waits stays stored for the next pane. */
  stop(): void {
    this.queue?.stop();
  }
}
