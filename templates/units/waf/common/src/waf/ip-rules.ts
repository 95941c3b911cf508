/**
 * The IP allow and deny lists (W1): WAF_ALLOW_IPS, WAF_BLOCK_IPS and WAF_BLOCK_IPS_FILE.
 *
 * The file is read strictly: at boot a missing file or any bad line stops the server with the line numbers
 * (a typo must not silently unblock a range); on reload (SIGHUP or a change to the file) a bad file is
 * logged and the previous lists stay in force. The new set is built off to the side (a reload in a worker
 * thread, see block-list.ts) and swapped in one assignment, so requests never see a half-loaded list.
 */
import type { Logger } from 'pino';
import { type BlockListSource, buildBlockSet, buildBlockSetInWorker } from './block-list.js';
import { parseIpEntries } from './ip-list.js';
import { IpSet } from './ip-set.js';
import { takePrefetched } from './prefetch.js';

export interface IpRulesOptions {
  allow: readonly string[];
  block: readonly string[];
  blockFile?: string;
}

export class IpRules {
  allow: IpSet;
  block: IpSet;

  constructor(private readonly options: IpRulesOptions) {
    // Settings validation already refused bad env entries; parse them once here.
    this.allow = IpSet.from(parseIpEntries(options.allow).ranges);
    this.block = IpSet.from(parseIpEntries(options.block).ranges);
  }

  private get source(): BlockListSource {
    return { file: this.options.blockFile, entries: this.options.block };
  }

  /**
   * Boot: the deny set, or throw with the bad lines' numbers. Taken from the worker that src/preload.ts started
   * when the process began (see prefetch.ts), else built here: nothing is served yet, and starting a thread
   * now would cost more than it saves.
   */
  async load(): Promise<void> {
    this.block = await (takePrefetched(this.source) ?? buildBlockSet(this.source));
  }

  /** SIGHUP or file change: load, or keep the current lists and log why. */
  async reload(log: Logger): Promise<boolean> {
    try {
      const next = await buildBlockSetInWorker(this.source);
      this.block = next;
      log.info({ event: 'waf_list_reloaded', list: 'block_ips', ranges: next.size }, 'WAF IP blocklist reloaded');
      return true;
    } catch (error) {
      log.error(
        { event: 'waf_list_reload_failed', list: 'block_ips', reason: (error as Error).message },
        'WAF IP blocklist not reloaded; the previous list stays in force',
      );
      return false;
    }
  }
}
