/** Worker thread entry (see proxy-set.ts): parse and merge the proxy lists, move the set's arrays back. */
import { buffersOf } from './ip-set.js';
import { answer } from './off-thread.js';
import { buildProxySet, type ProxySetTexts } from './proxy-set.js';

await answer(
  (texts: ProxySetTexts) => buildProxySet(texts),
  (build) => buffersOf(build.parts),
);
