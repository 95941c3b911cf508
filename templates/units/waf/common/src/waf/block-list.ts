/**
 * Building the IP deny set (W1) from WAF_BLOCK_IPS and WAF_BLOCK_IPS_FILE. A 100,000-line file takes tens of
 * milliseconds of CPU, so it is built in a worker thread: at boot from the moment the process starts
 * (prefetch.ts), while Node compiles the app's code, and on a reload (SIGHUP, a changed file) so that the
 * requests being served meanwhile do not wait. The set comes back as four typed arrays, moved, not copied. When
 * nothing was prefetched (tests, a server built by createServer() alone) the boot builds it in the main thread:
 * nothing is served yet, and starting a thread then costs more than it saves.
 */
import { readFile } from 'node:fs/promises';
import { describeProblems, parseIpEntries, parseIpList } from './ip-list.js';
import { IpSet, IpSetBuilder, type IpSetParts } from './ip-set.js';
import { inWorker } from './off-thread.js';

export interface BlockListSource {
  /** WAF_BLOCK_IPS_FILE */
  file: string | undefined;
  /** WAF_BLOCK_IPS, already validated by the settings. */
  entries: readonly string[];
}

/** Read and build in this thread; throws with line numbers when the file is bad (a typo must not unblock). */
export async function buildBlockSet(source: BlockListSource): Promise<IpSet> {
  const builder = new IpSetBuilder();
  for (const range of parseIpEntries(source.entries).ranges) builder.add(range);
  if (source.file !== undefined) {
    const parsed = parseIpList(await readFile(source.file, 'utf8'));
    if (parsed.problems.length > 0) {
      throw new Error(`WAF_BLOCK_IPS_FILE ${source.file}: ${describeProblems(parsed.problems)}`);
    }
    builder.addList(parsed.ranges);
  }
  return builder.build();
}

/** `buildBlockSet` in a worker thread when there is a file to read (in this thread when there is no worker script). */
export async function buildBlockSetInWorker(source: BlockListSource): Promise<IpSet> {
  const parts = source.file === undefined ? null : inWorker<IpSetParts>('block-list', source);
  return parts === null ? buildBlockSet(source) : IpSet.fromParts(await parts);
}
