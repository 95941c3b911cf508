/**
 * Work to undo if the process is interrupted (Ctrl-C) or fails midway: staging folders of a project that
 * was never moved into place. cli.ts runs these on SIGINT/SIGTERM before exiting 130.
 */
const pending = new Set<() => void>();

export function onAbort(undo: () => void): () => void {
  pending.add(undo);
  return () => pending.delete(undo);
}

export function runAbortHandlers(): void {
  for (const undo of [...pending]) {
    try {
      undo();
    } catch {
      // Best effort: the process is exiting anyway.
    }
    pending.delete(undo);
  }
}
