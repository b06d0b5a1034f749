import { useCallback, useEffect, useMemo, useState } from 'react';
import { reportedDomains } from '../core/report';
import type { DomainVerdict } from '../core/verdict';
import { ShareQueue, type PendingStore, type ShareState } from '../share/share-queue';
import type { PaneServices } from './services';
import { useRememberedSwitch } from './useRememberedSwitch';

/** The setting's name in Outlook's roaming settings (or local storage). */
export const SHARE_SETTING = 'shareAnonymously';
const PENDING_KEY = 'wcf.share.pending';

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

function pendingStore(storage: Storage): PendingStore {
  return {
    read: () => storage.getItem(PENDING_KEY),
    write: (text) => storage.setItem(PENDING_KEY, text),
    remove: () => storage.removeItem(PENDING_KEY),
  };
}

/** The pane's opt-in sharing: the remembered choice and the queue that sends, in the background. */
export function useSharing(services: PaneServices): Sharing {
  const { collectorUrl, shareDelayMs } = services.config;
  const [state, setState] = useState<ShareState>({ kind: 'idle' });
  const choice = useRememberedSwitch(services.settings, SHARE_SETTING);
  const enabled = choice.on;
  const queue = useMemo(
    () =>
      collectorUrl === ''
        ? undefined
        : new ShareQueue({
            collectorUrl,
            fetch: (url, init) => window.fetch(url, init),
            store: pendingStore(window.localStorage),
            delay: shareDelayMs,
            onState: setState,
          }),
    [collectorUrl, shareDelayMs],
  );

  useEffect(() => {
    if (!queue) return undefined;
    if (enabled) queue.resume();
    return () => queue.stop();
  }, [queue, enabled]);

  const { turnOff, isOn } = choice;
  const disable = useCallback(async () => {
    queue?.clear();
    await turnOff();
  }, [queue, turnOff]);

  // Called when a long check ends: the choice may have changed while it ran.
  const offer = useCallback(
    (verdicts: Iterable<DomainVerdict>) => {
      if (isOn()) queue?.add(reportedDomains(verdicts));
    },
    [queue, isOn],
  );

  const preview = useCallback(
    (verdicts: Iterable<DomainVerdict>) => queue?.previewBodies(reportedDomains(verdicts)) ?? [],
    [queue],
  );

  return {
    available: queue !== undefined,
    collectorUrl,
    enabled,
    state,
    preview,
    enable: choice.turnOn,
    disable,
    offer,
  };
}
