#!/usr/bin/env node
// The load generator, always its own process (run.mjs spawns it): autocannon's programmatic API, a warm-up
// run whose numbers are thrown away, then the measured run. Prints one line `{"phase":"start"}` when the
// measured run begins (the runner samples the server's CPU time then) and one JSON result line at the end.
//
//   node bench/stack/loadgen.mjs '{"url":"http://127.0.0.1:3000/health","connections":50,"duration":8,"warmup":2,"headers":{}}'
//
// With "perStatus": true it also records the latency of every response by status code (the overload test
// needs the latency of the 503s on their own); that costs the load generator some CPU, so only there.
import { createRequire } from 'node:module';

const require = createRequire(new URL('../package.json', import.meta.url));
const autocannon = require('autocannon');

const opts = JSON.parse(process.argv[2] ?? '{}');
const base = { url: opts.url, headers: opts.headers ?? {}, timeout: opts.timeout ?? 10 };

function run(connections, duration, onResponse) {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ ...base, connections, duration }, (err, result) => (err ? reject(err) : resolve(result)));
    if (onResponse) instance.on('response', onResponse);
  });
}

const pct = (sorted, p) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]);

if (opts.warmup > 0) await run(opts.connections, opts.warmup);

process.stdout.write(`${JSON.stringify({ phase: 'start' })}\n`);
const cpu0 = process.cpuUsage();
const byStatus = new Map();
const onResponse = opts.perStatus
  ? (_client, status, _bytes, ms) => {
      let list = byStatus.get(status);
      if (!list) byStatus.set(status, (list = []));
      list.push(ms);
    }
  : undefined;
const r = await run(opts.connections, opts.duration, onResponse);
const cpu = process.cpuUsage(cpu0);

const statusLatency = {};
for (const [status, list] of byStatus) {
  list.sort((a, b) => a - b);
  statusLatency[status] = { count: list.length, p50: pct(list, 0.5), p99: pct(list, 0.99), max: list[list.length - 1] };
}

process.stdout.write(
  `${JSON.stringify({
    phase: 'done',
    // Only 2xx answers count as throughput: a fast 503 or 429 is not a served request.
    rps: r['2xx'] / r.duration,
    answered: r.requests.average,
    total: r.requests.total,
    ok: r['2xx'],
    duration: r.duration,
    latency: { p50: r.latency.p50, p99: r.latency.p99, avg: r.latency.average, max: r.latency.max },
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodeStats: Object.fromEntries(Object.entries(r.statusCodeStats).map(([k, v]) => [k, v.count])),
    statusLatency,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  })}\n`,
);
