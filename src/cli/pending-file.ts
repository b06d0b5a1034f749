import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PendingStore } from '../share/share-queue';

/** Where the CLI keeps domains it could not share yet: the XDG cache directory. */
export function pendingFilePath(env: Record<string, string | undefined>): string {
  const cache = env.XDG_CACHE_HOME?.trim() || join(homedir(), '.cache');
  return join(cache, 'who-can-federate', 'pending-reports.json');
}

/** A {@link PendingStore} in a file, replaced atomically so an interrupted write loses nothing. */
export function pendingFile(path: string): PendingStore {
  return {
    read: () => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
    write: (text) => {
      mkdirSync(dirname(path), { recursive: true });
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, text, { mode: 0o600 });
      renameSync(temporary, path);
    },
    remove: () => rmSync(path, { force: true }),
  };
}
