// Preloaded into a server with `node --import` (run.mjs --mem-probe): samples process.memoryUsage() every
// 100 ms and, when the process exits, writes the peak of each part to stderr (the server's log file) as one
// JSON line `{"memProbe":{...MB}}`: which of heap, external buffers or the rest made the RSS peak.
import { writeSync } from 'node:fs';

const peak = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
const timer = setInterval(() => {
  const m = process.memoryUsage();
  for (const k in peak) peak[k] = Math.max(peak[k], m[k]);
}, 100);
timer.unref();
process.on('exit', () => {
  const mb = Object.fromEntries(Object.entries(peak).map(([k, v]) => [k, Math.round(v / 1e5) / 10]));
  writeSync(2, `${JSON.stringify({ memProbe: mb })}\n`);
});
