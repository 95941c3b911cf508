/** Worker thread entry (see block-list.ts): build the IP deny set and move its arrays to the main thread. */
import { type BlockListSource, buildBlockSet } from './block-list.js';
import { buffersOf } from './ip-set.js';
import { answer } from './off-thread.js';

await answer(async (source: BlockListSource) => (await buildBlockSet(source)).parts(), buffersOf);
