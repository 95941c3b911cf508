/**
 * The anonymous-proxy set (W5) from its two sources' texts: the local file and the last download. Both are
 * parsed and merged into one set on every change, in a worker thread once the server is up (proxy-set.worker.ts):
 * a 100,000-line hosting-range list otherwise stalls every request in flight for 20–30 ms at each refresh. The
 * summaries say whether each source is acceptable; ProxyLists decides (see refuseReason).
 */
import { type ListSummary, parseIpList, summarize } from './ip-list.js';
import { IpSetBuilder, type IpSetParts } from './ip-set.js';
import { inWorker } from './off-thread.js';

export interface ProxySetTexts {
  /** WAF_PROXY_LIST_FILE's text. */
  file?: string;
  /** The WAF_PROXY_LIST_URL download's text. */
  url?: string;
}

export interface ProxySetBuild {
  /** The union of both sources' valid entries. */
  parts: IpSetParts;
  file: ListSummary | null;
  url: ListSummary | null;
}

export function buildProxySet(texts: ProxySetTexts): ProxySetBuild {
  const builder = new IpSetBuilder();
  const add = (text: string | undefined): ListSummary | null => {
    if (text === undefined) return null;
    const parsed = parseIpList(text);
    builder.addList(parsed.ranges);
    return summarize(parsed);
  };
  const file = add(texts.file);
  const url = add(texts.url);
  return { parts: builder.build().parts(), file, url };
}

/** `buildProxySet` in a worker thread (in this one when there is no worker script). */
export async function buildProxySetInWorker(texts: ProxySetTexts): Promise<ProxySetBuild> {
  return (await inWorker<ProxySetBuild>('proxy-set', texts)) ?? buildProxySet(texts);
}
