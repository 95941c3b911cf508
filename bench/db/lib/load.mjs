#!/usr/bin/env node
// The load generator, always in its own process (never in the server's): one autocannon run described by a JSON
// spec in argv[2], result as one JSON line on stdout. Latency percentiles are computed from every response's
// exact time (autocannon's histogram keeps whole milliseconds only, too coarse for sub-millisecond requests).
//
// spec: { url, method?, headers?, body?, connections, duration? (s), amount?, tokensFile?, rebuild? }
//   tokensFile: one bearer token a line; each request takes the next one (cold verification: no token repeats
//   within the file's length).
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const spec = JSON.parse(process.argv[2]);
const opts = {
  url: spec.url,
  method: spec.method ?? 'GET',
  headers: spec.headers ?? {},
  body: spec.body,
  connections: spec.connections,
  pipelining: 1,
  timeout: 30,
};
if (spec.amount) opts.amount = spec.amount;
else opts.duration = spec.duration;

// `rebuild`: build every request anew (as token rotation must), so that runs compared side by side cost the
// load generator the same CPU, which on a small machine is taken from the server.
if (spec.tokensFile || spec.rebuild) {
  const tokens = spec.tokensFile ? readFileSync(spec.tokensFile, 'utf8').split('\n').filter(Boolean) : [];
  let next = 0;
  opts.requests = [
    {
      setupRequest(req) {
        if (tokens.length === 0) return { ...req, headers: { ...req.headers } };
        const token = tokens[next++ % tokens.length];
        return { ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } };
      },
    },
  ];
}

const latencies = [];
const instance = autocannon(opts, (err, result) => {
  if (err) {
    console.error(err);
    process.exit(1);
  }
  latencies.sort((a, b) => a - b);
  const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] : null);
  const seconds = (result.duration ?? 0) || spec.duration;
  process.stdout.write(
    `${JSON.stringify({
      requests: result.requests.total,
      ok: latencies.length,
      // Throughput counts 2xx answers only: a shed (503) or limited (429) answer is not work done.
      rps: latencies.length / seconds,
      seconds,
      p50: pct(50),
      p90: pct(90),
      p99: pct(99),
      max: latencies.at(-1) ?? null,
      mean: latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : null,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      statusCodes: result.statusCodeStats,
    })}\n`,
  );
});
// Only 2xx answers count towards latency; the others are reported by status.
instance.on('response', (_client, statusCode, _bytes, responseTime) => {
  if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
});
