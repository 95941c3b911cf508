/**
 * Anonymous-proxy lists (W5): Tor exit nodes, VPN and hosting ranges, one IP or CIDR a line, from a local file
 * (WAF_PROXY_LIST_FILE) and/or a URL (WAF_PROXY_LIST_URL) refreshed every WAF_PROXY_LIST_REFRESH_S seconds.
 *
 * These lists come from third parties, so a download is checked before it replaces anything: a failed
 * request, a non-200 answer, an oversized body, an empty list, or one where more than 10 % of the entries are
 * not addresses is refused and the last good copy stays in force. Every good download is written to
 * WAF_PROXY_LIST_CACHE (atomically), and that copy is what the server starts from after a restart, so a
 * restart while the list's host is down does not open the door either. A few bad lines in an otherwise good
 * list are skipped and logged (third-party lists are rarely perfect).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { describeProblems, type ParsedList, parseIpList } from './ip-list.js';
import { IpSet, IpSetBuilder, RangeList } from './ip-set.js';

export interface ProxyListOptions {
  file?: string;
  url?: string;
  cache: string;
  refreshSeconds: number;
  /** Upper bound on a download (bytes). */
  maxBytes?: number;
  /** Per-request timeout (ms). */
  timeoutMs?: number;
}

const GARBAGE_RATIO = 0.1;

/** Why a list is refused, or null when it may replace the current one. */
export function refuseReason(parsed: ParsedList): string | null {
  if (parsed.ranges.length === 0)
    return parsed.entries === 0 ? 'the list is empty' : 'no line is an IP address or CIDR range';
  if (parsed.problems.length > Math.max(1, parsed.entries * GARBAGE_RATIO)) {
    return `${parsed.problems.length} of ${parsed.entries} entries are not IP addresses or CIDR ranges`;
  }
  return null;
}

export class ProxyLists {
  set: IpSet = IpSet.empty;
  private fileRanges = new RangeList();
  private urlRanges = new RangeList();
  private etag: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<boolean> | undefined;

  constructor(
    private readonly options: ProxyListOptions,
    private readonly log: Logger,
  ) {}

  private rebuild(): void {
    const builder = new IpSetBuilder();
    builder.addList(this.fileRanges).addList(this.urlRanges);
    this.set = builder.build();
  }

  /** Boot: the file (strict: it is yours), the cached download, then a first refresh when there is no cache. */
  async start(): Promise<void> {
    if (this.options.file !== undefined) {
      const parsed = parseIpList(await readFile(this.options.file, 'utf8'));
      if (parsed.problems.length > 0) {
        throw new Error(`WAF_PROXY_LIST_FILE ${this.options.file}: ${describeProblems(parsed.problems)}`);
      }
      this.fileRanges = parsed.ranges;
    }
    if (this.options.url !== undefined) {
      const cached = await readFile(this.options.cache, 'utf8').catch(() => null);
      const parsed = cached === null ? null : parseIpList(cached);
      if (parsed && refuseReason(parsed) === null) {
        this.urlRanges = parsed.ranges;
        this.rebuild();
        void this.refresh(); // in the background: the cached copy already protects
      } else {
        this.rebuild();
        await this.refresh(); // nothing cached: wait for the first download (bounded by its timeout)
      }
      this.timer = setInterval(() => void this.refresh(), this.options.refreshSeconds * 1000);
      this.timer.unref();
    } else {
      this.rebuild();
    }
  }

  /** SIGHUP or file change: re-read the local file; a bad file keeps the previous list. */
  async reloadFile(): Promise<boolean> {
    if (this.options.file === undefined) return false;
    try {
      const parsed = parseIpList(await readFile(this.options.file, 'utf8'));
      if (parsed.problems.length > 0) throw new Error(describeProblems(parsed.problems));
      this.fileRanges = parsed.ranges;
      this.rebuild();
      this.log.info(
        { event: 'waf_list_reloaded', list: 'proxy_file', ranges: this.set.size },
        'WAF proxy list reloaded',
      );
      return true;
    } catch (error) {
      this.log.error(
        { event: 'waf_list_reload_failed', list: 'proxy_file', reason: (error as Error).message },
        'WAF proxy list file not reloaded; the previous list stays in force',
      );
      return false;
    }
  }

  /** Download the URL list; true when a new list was applied. Concurrent calls share one download. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.download().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async download(): Promise<boolean> {
    const url = this.options.url;
    if (url === undefined) return false;
    try {
      const headers: Record<string, string> = { accept: 'text/plain' };
      if (this.etag !== undefined && this.urlRanges.length > 0) headers['if-none-match'] = this.etag;
      const response = await fetch(url, {
        headers,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
      if (response.status === 304) return false;
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new Error(`HTTP ${response.status}`);
      }
      const text = await readCapped(response, this.options.maxBytes ?? 32 * 1024 * 1024);
      const parsed = parseIpList(text);
      const refused = refuseReason(parsed);
      if (refused !== null) throw new Error(refused);
      if (parsed.problems.length > 0) {
        this.log.warn(
          { event: 'waf_list_bad_lines', list: 'proxy_url', lines: describeProblems(parsed.problems, 5) },
          'WAF proxy list: bad lines skipped',
        );
      }
      this.urlRanges = parsed.ranges;
      this.etag = response.headers.get('etag') ?? undefined;
      this.rebuild();
      await this.saveCache(text);
      this.log.info(
        { event: 'waf_list_reloaded', list: 'proxy_url', ranges: this.set.size },
        'WAF proxy list refreshed',
      );
      return true;
    } catch (error) {
      this.log.warn(
        {
          event: 'waf_list_refresh_failed',
          list: 'proxy_url',
          reason: (error as Error).message,
          kept: this.urlRanges.length,
        },
        'WAF proxy list refresh failed; the last good copy stays in force',
      );
      return false;
    }
  }

  private async saveCache(text: string): Promise<void> {
    const path = this.options.cache;
    try {
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, text, { mode: 0o600 });
      await rename(tmp, path);
    } catch (error) {
      this.log.warn(
        { event: 'waf_list_cache_failed', reason: (error as Error).message },
        'WAF proxy list cache not written',
      );
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** Read a response body, refusing it past `max` bytes instead of buffering without bound. */
async function readCapped(response: Response, max: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > max) throw new Error(`list larger than ${max} bytes`);
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    if (total > max) throw new Error(`list larger than ${max} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
