/**
 * Building IP sets in a worker thread, so that the requests being served meanwhile do not wait: the deny list
 * (W1, block-list.worker.ts) and the anonymous-proxy lists (W5, proxy-set.worker.ts) take tens of ms of CPU at
 * 100,000 lines. Both ends of the conversation are here: the caller's `inWorker` and the worker's `answer`.
 */
import { existsSync } from 'node:fs';
import { parentPort, Worker, workerData } from 'node:worker_threads';

/** What a worker posts back. */
type Reply<T> = { result: T } | { error: string };

/**
 * The worker script `<name>.worker` beside this module: `dist/<name>.worker.js` next to the bundled server,
 * tsc's `dist/waf/<name>.worker.js`, or under the tests the TypeScript source, run through tsx.
 */
function workerScript(name: string): { url: URL; execArgv: string[] } | null {
  const candidates: Array<[string, string[]]> = [
    [`./${name}.worker.js`, []],
    [`./${name}.worker.ts`, ['--import', 'tsx']],
  ];
  for (const [file, execArgv] of candidates) {
    const url = new URL(file, import.meta.url);
    if (url.protocol === 'file:' && existsSync(url)) return { url, execArgv };
  }
  return null;
}

/** Run the worker `name` on `data`: its result, or its error; null when there is no worker script to run. */
export function inWorker<T>(name: string, data: unknown): Promise<T> | null {
  const script = workerScript(name);
  if (script === null) return null;
  return new Promise((resolve, reject) => {
    const worker = new Worker(script.url, { workerData: data, execArgv: script.execArgv });
    worker.once('message', (reply: Reply<T>) =>
      'result' in reply ? resolve(reply.result) : reject(new Error(reply.error)),
    );
    worker.once('error', reject);
    // After a reply this changes nothing; without one (the worker died) it is the error.
    worker.once('exit', (code) => reject(new Error(`the WAF ${name} worker exited (code ${code})`)));
  });
}

/**
 * In a worker script: compute from the `data` given to `inWorker` and post the result back, moving (not
 * copying) the typed arrays' buffers that `buffers` lists, or post the error's message.
 */
export async function answer<D, T>(
  compute: (data: D) => T | Promise<T>,
  buffers: (result: T) => ArrayBuffer[],
): Promise<void> {
  let reply: Reply<T>;
  let transfer: ArrayBuffer[] = [];
  try {
    const result = await compute(workerData as D);
    reply = { result };
    transfer = buffers(result);
  } catch (error) {
    reply = { error: (error as Error).message };
  }
  parentPort?.postMessage(reply, transfer);
}
