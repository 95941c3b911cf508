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
import { describeProblems, type ListSummary } from './ip-list.js';
import { IpSet } from './ip-set.js';
import { buildProxySet, buildProxySetInWorker, type ProxySetBuild, type ProxySetTexts } from './proxy-set.js';

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
export function refuseReason(list: ListSummary): string | null {
  if (list.ranges === 0) return list.entries === 0 ? 'the list is empty' : 'no line is an IP address or CIDR range';
  if (list.problemCount > Math.max(1, list.entries * GARBAGE_RATIO)) {
    return `${list.problemCount} of ${list.entries} entries are not IP addresses or CIDR ranges`;
  }
  return null;
}

/**
 * `fetch` follows redirects, including from https to plain http, where anyone on the path could rewrite the
 * list: a list asked for over https must arrive over https.
 */
export function downgraded(requested: string, arrived: string): boolean {
  return new URL(requested).protocol === 'https:' && new URL(arrived).protocol !== 'https:';
}

/** The file is yours: any bad line refuses it, reported with line numbers. */
function fileProblems(build: ProxySetBuild): string | null {
  const file = build.file;
  return file && file.problemCount > 0 ? describeProblems(file.problems, 10, file.problemCount) : null;
}

/** A download is third-party: refused only when empty or mostly garbage (see refuseReason). */
function urlProblems(build: ProxySetBuild): string | null {
  return build.url && refuseReason(build.url);
}

export class ProxyLists {
  set: IpSet = IpSet.empty;
  /**
   * The texts in force (the last good ones): each change rebuilds the set from them and the new text. Kept as
   * text rather than parsed ranges: about as large, and the worker takes text.
   */
  private texts: ProxySetTexts = {};
  /** Valid entries of the download in force (for the logs). */
  private urlRanges = 0;
  private etag: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<boolean> | undefined;
  /** Updates apply one at a time, each on top of the one before (a reload racing a refresh loses nothing). */
  private changes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: ProxyListOptions,
    private readonly log: Logger,
  ) {}

  /**
   * Rebuild from the texts in force with `change` on top (in a worker: the server is up), after the changes
   * before it. Keep the result when `refused` finds nothing wrong with it, else throw its reason and keep
   * everything as it was.
   */
  private update(change: ProxySetTexts, refused: (build: ProxySetBuild) => string | null): Promise<ProxySetBuild> {
    const apply = async (): Promise<ProxySetBuild> => {
      const texts = { ...this.texts, ...change };
      const build = await buildProxySetInWorker(texts);
      const reason = refused(build);
      if (reason !== null) throw new Error(reason);
      this.keep(texts, build);
      return build;
    };
    const next = this.changes.then(apply, apply);
    this.changes = next.catch(() => undefined);
    return next;
  }

  private keep(texts: ProxySetTexts, build: ProxySetBuild): void {
    this.texts = texts;
    this.urlRanges = build.url?.ranges ?? 0;
    this.set = IpSet.fromParts(build.parts);
  }

  /** Boot: the file (strict: it is yours), the cached download, then a first refresh when there is no cache. */
  async start(): Promise<void> {
    // In this thread: nothing is served yet, and starting a worker would cost more than it saves.
    const file = this.options.file === undefined ? undefined : await readFile(this.options.file, 'utf8');
    const cached =
      this.options.url === undefined ? undefined : await readFile(this.options.cache, 'utf8').catch(() => undefined);
    let build = buildProxySet({ file, url: cached });
    const bad = fileProblems(build);
    if (bad !== null) throw new Error(`WAF_PROXY_LIST_FILE ${this.options.file}: ${bad}`);
    const cacheGood = cached !== undefined && urlProblems(build) === null;
    if (cached !== undefined && !cacheGood) build = buildProxySet({ file });
    this.keep({ file, url: cacheGood ? cached : undefined }, build);
    if (this.options.url === undefined) return;
    // With a good cached copy the first download runs in the background (the copy already protects); with none
    // the boot waits for it (bounded by its timeout).
    const first = this.refresh();
    if (!cacheGood) await first;
    this.timer = setInterval(() => void this.refresh(), this.options.refreshSeconds * 1000);
    this.timer.unref();
  }

  /** SIGHUP or file change: re-read the local file; a bad file keeps the previous list. */
  async reloadFile(): Promise<boolean> {
    const path = this.options.file;
    if (path === undefined) return false;
    try {
      await this.update({ file: await readFile(path, 'utf8') }, fileProblems);
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
      if (this.etag !== undefined && this.texts.url !== undefined) headers['if-none-match'] = this.etag;
      const response = await fetch(url, {
        headers,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
      if (response.status === 304) return false;
      const refused =
        response.status !== 200
          ? `HTTP ${response.status}`
          : downgraded(url, response.url)
            ? `redirected from https to ${response.url}`
            : null;
      if (refused !== null) {
        await response.body?.cancel();
        throw new Error(refused);
      }
      const text = await readCapped(response, this.options.maxBytes ?? 32 * 1024 * 1024);
      const build = await this.update({ url: text }, urlProblems);
      const list = build.url;
      if (list !== null && list.problemCount > 0) {
        this.log.warn(
          {
            event: 'waf_list_bad_lines',
            list: 'proxy_url',
            lines: describeProblems(list.problems, 5, list.problemCount),
          },
          'WAF proxy list: bad lines skipped',
        );
      }
      this.etag = response.headers.get('etag') ?? undefined;
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
          kept: this.urlRanges,
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
