#!/usr/bin/env node
/**
 * Load test for staging (C30): `npm run loadtest -- --url https://staging.example.com --duration 10`.
 * Runs autocannon against GET /health and, given a token (--token or LOADTEST_TOKEN), the authenticated
 * GET /api/v1/items, one after the other, and prints throughput and latency percentiles.
 *
 * Expect 429s against a server with the default RATE_LIMIT_PER_MINUTE: that is the limiter working, and 503s
 * above the WAF's WAF_HARD_THRESHOLD (5000 req/s per instance). Raise them on the staging server (not in
 * production) to measure raw capacity; non-2xx answers are counted apart.
 * Never point this at a production service you do not own.
 */
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://localhost:3000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    pipelining: { type: 'string', default: '1' },
    token: { type: 'string' },
    'api-key': { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`usage: npm run loadtest -- [--url http://localhost:3000] [--duration 10] [--connections 10]
       [--pipelining 1] [--token <bearer token> | --api-key <key>] [--json]
  The token may also come from LOADTEST_TOKEN / LOADTEST_API_KEY (keeps it out of shell history).`);
  process.exit(0);
}

const positive = (name, raw) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a whole number above 0`);
    process.exit(2);
  }
  return n;
};

let base;
try {
  base = new URL(values.url);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error('protocol');
} catch {
  console.error('--url must be an http(s) URL, e.g. http://localhost:3000');
  process.exit(2);
}

const duration = positive('duration', values.duration);
const connections = positive('connections', values.connections);
const pipelining = positive('pipelining', values.pipelining);
const token = values.token ?? process.env.LOADTEST_TOKEN;
const apiKey = values['api-key'] ?? process.env.LOADTEST_API_KEY;

const targets = [{ name: 'GET /health', path: '/health', headers: {} }];
if (token)
  targets.push({ name: 'GET /api/v1/items', path: '/api/v1/items', headers: { authorization: `Bearer ${token}` } });
else if (apiKey) targets.push({ name: 'GET /api/v1/items', path: '/api/v1/items', headers: { 'x-api-key': apiKey } });

function run(target) {
  return new Promise((resolve, reject) => {
    autocannon(
      { url: new URL(target.path, base).href, duration, connections, pipelining, headers: target.headers },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

const rows = [];
for (const target of targets) {
  if (!values.json) console.error(`${target.name}: ${duration}s, ${connections} connections…`);
  const r = await run(target);
  rows.push({
    target: target.name,
    requests: r.requests.total,
    'req/s': Math.round(r.requests.average),
    'p50 ms': r.latency.p50,
    'p90 ms': r.latency.p90,
    'p99 ms': r.latency.p99,
    'max ms': r.latency.max,
    '2xx': r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    // e.g. {"200": 9000, "429": 120}: 429 is the rate limiter, 503 load shedding (both intended under load).
    statuses: JSON.stringify(
      Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [code, s.count])),
    ),
  });
}

if (values.json) console.log(JSON.stringify(rows, null, 2));
else {
  console.log(`\n${base.origin}  duration ${duration}s  connections ${connections}  pipelining ${pipelining}`);
  console.table(rows);
  if (!token && !apiKey) console.log('Pass --token (or LOADTEST_TOKEN) to also load GET /api/v1/items.');
}
// A run where nothing succeeded is a failed run (wrong URL, server down, wrong token).
process.exitCode = rows.every((row) => row['2xx'] > 0) ? 0 : 1;
