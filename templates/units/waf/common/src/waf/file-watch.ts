/**
 * Reload a list when its file changes. `fs.watchFile` polls the file's stat: slower to notice than
 * `fs.watch`, but it survives editors and deploy tools that replace the file (rename over it), works on every
 * filesystem, and is not persistent (it never keeps the process alive). Bursts of changes are debounced.
 */
import { type Stats, unwatchFile, watchFile } from 'node:fs';

export function watchForChanges(path: string, onChange: () => void, intervalMs = 1000, debounceMs = 200): () => void {
  let timer: NodeJS.Timeout | undefined;
  const listener = (current: Stats, previous: Stats): void => {
    if (current.mtimeMs === previous.mtimeMs && current.size === previous.size && current.ino === previous.ino) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
    timer.unref();
  };
  watchFile(path, { interval: intervalMs, persistent: false }, listener);
  return () => {
    clearTimeout(timer);
    unwatchFile(path, listener);
  };
}
