/**
 * The IP allow and deny lists (W1): WAF_ALLOW_IPS, WAF_BLOCK_IPS and WAF_BLOCK_IPS_FILE.
 *
 * The file is read strictly: at boot a missing file or any bad line stops the server with the line numbers
 * (a typo must not silently unblock a range); on reload (SIGHUP or a change to the file) a bad file is
 * logged and the previous lists stay in force. The new set is built off to the side and swapped in one
 * assignment, so requests never see a half-loaded list.
 */
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { describeProblems, parseIpEntries, parseIpList } from './ip-list.js';
import { IpSet, IpSetBuilder, type Range } from './ip-set.js';

export interface IpRulesOptions {
  allow: readonly string[];
  block: readonly string[];
  blockFile?: string;
}

export class IpRules {
  allow: IpSet = IpSet.empty;
  block: IpSet = IpSet.empty;
  private readonly envBlock: Range[];
  private readonly envAllow: Range[];

  constructor(private readonly options: IpRulesOptions) {
    // Settings validation already refused bad env entries; parse them once here.
    this.envAllow = parseIpEntries(options.allow).ranges;
    this.envBlock = parseIpEntries(options.block).ranges;
    this.allow = IpSet.from(this.envAllow);
    this.block = IpSet.from(this.envBlock);
  }

  get file(): string | undefined {
    return this.options.blockFile;
  }

  /** Read the file and build the deny set; throws with line numbers when the file is bad. */
  private async build(): Promise<IpSet> {
    const builder = new IpSetBuilder();
    for (const r of this.envBlock) builder.add(r);
    const path = this.options.blockFile;
    if (path !== undefined) {
      const parsed = parseIpList(await readFile(path, 'utf8'));
      if (parsed.problems.length > 0) {
        throw new Error(`WAF_BLOCK_IPS_FILE ${path}: ${describeProblems(parsed.problems)}`);
      }
      builder.addList(parsed.ranges);
    }
    return builder.build();
  }

  /** Boot: load or throw. */
  async load(): Promise<void> {
    this.block = await this.build();
  }

  /** SIGHUP or file change: load, or keep the current lists and log why. */
  async reload(log: Logger): Promise<boolean> {
    try {
      const next = await this.build();
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
