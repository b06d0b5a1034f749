import { useCallback, useRef, useState } from 'react';
import { lookUpInDirectory, type DirectoryFinding } from '../share/directory-lookup';
import type { PaneServices } from './services';
import { useRememberedSwitch } from './useRememberedSwitch';

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
export function useDirectory(services: PaneServices): CommunityDirectory {
  const { collectorUrl } = services.config;
  const choice = useRememberedSwitch(services.settings, DIRECTORY_SETTING);
  const { isOn, turnOff } = choice;
  const [status, setStatus] = useState<DirectoryStatus>({ kind: 'idle' });
  const [findings, setFindings] = useState<ReadonlyMap<string, DirectoryFinding>>(new Map());
  const current = useRef<AbortController | undefined>(undefined);
  /** The domains of the look-up under way or last done well: asking for them again is a no-op. */
  const asked = useRef<string | undefined>(undefined);

  const lookUp = useCallback(
    (domains: readonly string[]) => {
      if (!isOn() || collectorUrl === '' || domains.length === 0) return;
      const key = domains.join('\n');
      if (asked.current === key) return;
      asked.current = key;
      current.current?.abort();
      const controller = new AbortController();
      current.current = controller;
      setStatus({ kind: 'looking' });
      void lookUpInDirectory(domains, {
        collectorUrl,
        fetch: (url, init) => window.fetch(url, init),
        signal: controller.signal,
      }).then(
        (result) => {
          if (controller.signal.aborted) return;
          setFindings(result.findings);
          setStatus({ kind: 'done', known: result.findings.size, failedBuckets: result.failedBuckets });
          if (result.failedBuckets > 0) asked.current = undefined;
        },
        () => {
          if (controller.signal.aborted) return;
          asked.current = undefined;
          setStatus({ kind: 'done', known: 0, failedBuckets: 1 });
        },
      );
    },
    [collectorUrl, isOn],
  );

  const disable = useCallback(async () => {
    current.current?.abort();
    asked.current = undefined;
    setFindings(new Map());
    setStatus({ kind: 'idle' });
    await turnOff();
  }, [turnOff]);

  return {
    available: collectorUrl !== '',
    enabled: choice.on,
    status,
    findings,
    enable: choice.turnOn,
    disable,
    lookUp,
  };
}
