/**
 * Started first thing in the process (preload.ts, imported by src/preload.ts, which server.ts imports before
 * anything else): when WAF_BLOCK_IPS_FILE is set, the deny list starts building in a worker thread while Node
 * loads the rest of the app's code, so the boot no longer waits for 100,000 rules to be parsed (tens of ms on a
 * small dyno). The server still does not listen before the list is in force: `IpRules.load()` takes this
 * result, waiting for it if needed.
 *
 * This runs before the settings are validated, so it reads the raw environment the way the settings do, and the
 * result is used only when the validated settings ask for exactly the same file and entries; a failure (a bad
 * line, a missing file) surfaces when `IpRules.load()` awaits it, as if it had happened there.
 */
import { FALSE_WORDS, splitList } from '../core/env-words.js';
import { type BlockListSource, buildBlockSetInWorker } from './block-list.js';
import type { IpSet } from './ip-set.js';

let early: { source: BlockListSource; set: Promise<IpSet> } | undefined;

/** Start building the deny list from the raw environment, unless the WAF is off or there is no file. */
export function prefetchBlockList(env: Record<string, string | undefined>): void {
  const file = env.WAF_BLOCK_IPS_FILE?.trim();
  if (!file || FALSE_WORDS.has((env.WAF_ENABLED ?? '').trim().toLowerCase())) return;
  const source = { file, entries: splitList(env.WAF_BLOCK_IPS ?? '') };
  const set = buildBlockSetInWorker(source);
  set.catch(() => undefined); // reported by whoever takes it; never an unhandled rejection
  early = { source, set };
}

/** The set started by `prefetchBlockList` for exactly this source, once; undefined when there is none. */
export function takePrefetched(source: BlockListSource): Promise<IpSet> | undefined {
  const found = early;
  if (found === undefined || found.source.file !== source.file) return undefined;
  if (found.source.entries.join('\n') !== source.entries.join('\n')) return undefined;
  early = undefined;
  return found.set;
}
