/** Worker thread entry (see block-list.ts): build the IP deny set and move its arrays to the main thread. */
import { parentPort, workerData } from 'node:worker_threads';
import { type BlockListMessage, type BlockListSource, buildBlockSet } from './block-list.js';

let message: BlockListMessage;
try {
  message = { parts: (await buildBlockSet(workerData as BlockListSource)).parts() };
} catch (error) {
  message = { error: (error as Error).message };
}
// The arrays' buffers are their own (IpSetBuilder slices them out), so moving them takes nothing else along.
const transfer = 'parts' in message ? Object.values(message.parts).map((array) => array.buffer as ArrayBuffer) : [];
parentPort?.postMessage(message, transfer);
