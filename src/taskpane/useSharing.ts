import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { reportedDomains } from '../core/report';
import type { DomainVerdict } from '../core/verdict';
import { ShareQueue, type PendingStore, type ShareState } from '../share/share-queue';
import type { PaneServices } from './services';

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
  const [enabled, setEnabled] = useState(() => services.settings.read(SHARE_SETTING) === true);
  // Read when a long check ends: the choice may have changed while it ran.
  const enabledNow = useRef(enabled);
  enabledNow.current = enabled;
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

  const enable = useCallback(async () => {
    await services.settings.write(SHARE_SETTING, true);
    enabledNow.current = true;
    setEnabled(true);
  }, [services]);

  const disable = useCallback(async () => {
    queue?.clear();
    enabledNow.current = false;
    setEnabled(false);
    await services.settings.write(SHARE_SETTING, false);
  }, [services, queue]);

  const offer = useCallback(
    (verdicts: Iterable<DomainVerdict>) => {
      if (enabledNow.current) queue?.add(reportedDomains(verdicts));
    },
    [queue],
  );

  const preview = useCallback(
    (verdicts: Iterable<DomainVerdict>) => queue?.previewBodies(reportedDomains(verdicts)) ?? [],
    [queue],
  );

  return { available: queue !== undefined, collectorUrl, enabled, state, preview, enable, disable, offer };
}
