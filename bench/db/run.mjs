#!/usr/bin/env node
// Issue 3, benchmark: throughput of the generated `GET /api/v1/items?limit=20` (list) and `POST /api/v1/items`
// (create, plain-text and HTML bodies) for each engine, side by side in one run against (a) the same routes
// hand-written on the bare driver with prepared statements inside the same generated server (lib/in-app-bare.mjs:
// the data layer's price, target generated ≥ 80 % of it) and (b) a plain Fastify server with that driver code
// (bare-server.mjs: the whole stack's price).
//
//   npm run build && PATH="$(bash scripts/node24.sh):$PATH" node bench/db/run.mjs
//   [--engines sqlite,postgres,mysql] [--rounds 3] [--duration 10] [--warmup 3] [--connections 10]
//   [--profile never|auto|always] [--no-write]
//
// Fairness: the generated project is fastify + auth `none` + features none, compared with bare routes without
// auth; an equal token check on both sides would only add the same constant to each and flatter the ratio (auth
// has its own benchmark, bench/auth/run.mjs). All three read and write the same `items` table with the same
// seeded rows; the load generator (autocannon) runs in its own process on loopback; every server logs one line
// per request to a file under the work directory. With `--profile auto|always`, a `node --cpu-prof` run of the
// generated and the bare Fastify server follows each route (profiles in <work>/profiles, open in DevTools).
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  benchArgs,
  fmt,
  freshDatabase,
  generateProject,
  load,
  log,
  machine,
  migrate,
  root,
  serverEnv,
  sideBySide,
  startServer,
  table,
  writeSection,
} from './lib/common.mjs';
import { seedItems } from './lib/drivers.mjs';
import { addInAppBareModule, IN_APP_BARE_PATH, inAppBareEnv } from './lib/in-app-bare.mjs';
import { analyzeProfile } from './lib/profile.mjs';

const { values, opts, work, logs } = benchArgs('db', {
  engines: { type: 'string', default: 'sqlite,postgres,mysql' },
  profile: { type: 'string', default: 'never' },
});
const engines = values.engines.split(',');
const TARGET = 0.8;
const OWNER = 'anonymous'; // the principal of every request with auth `none`
const SEED = { owner: OWNER, ownerRows: 200, otherOwners: 49 };

// Two create bodies: plain text (most API writes), and HTML, which the generated route sanitises (C17) with
// sanitize-html while the bare routes store it as sent, so that row is the data layer plus the sanitiser.
const PLAIN_BODY = JSON.stringify({
  title: 'Benchmark item',
  description: 'Some plain text with a link to https://example.com/page and a list: one, two.',
});
const HTML_BODY = JSON.stringify({
  title: 'Benchmark <b>item</b>',
  description: '<p>Some <strong>rich</strong> text with a <a href="https://example.com/page">link</a> and a list:</p><ul><li>one</li><li>two</li></ul>',
});
const GEN_PORT = 4101;
const BARE_PORT = 4102;
const ITEMS = '/api/v1/items';
const post = (body) => (port, path = ITEMS) => ({
  url: `http://127.0.0.1:${port}${path}`,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body,
});
const routes = [
  { route: 'list', label: '`GET /api/v1/items?limit=20`', spec: (port, path = ITEMS) => ({ url: `http://127.0.0.1:${port}${path}?limit=20` }) },
  { route: 'create', label: '`POST /api/v1/items` (plain text)', spec: post(PLAIN_BODY) },
  { route: 'create-html', label: '`POST /api/v1/items` (HTML, sanitised)', spec: post(HTML_BODY) },
];

async function getJson(port, path) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.json() };
}

/** Runs one server under `node --cpu-prof` with the same load, and summarises where its CPU time went. */
async function profileServer(kind, project, env, engine, route, bareEnv) {
  const dir = join(work, 'profiles', `${engine}-${route.route}-${kind}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const prof = ['--cpu-prof', '--cpu-prof-interval', '250', '--cpu-prof-dir', dir];
  // Other ports: the measured servers are still up (the profile runs before the next route adds rows).
  const port = kind === 'generated' ? GEN_PORT + 2 : BARE_PORT + 2;
  const server = await startServer({
    name: `${kind} ${engine} (profiled)`,
    args: kind === 'generated' ? [...prof, 'dist/server.js'] : [...prof, join(root, 'bench/db/bare-server.mjs')],
    cwd: kind === 'generated' ? project : work,
    env: { ...(kind === 'generated' ? env : bareEnv), PORT: String(port) },
    port,
    logFile: join(logs, `${engine}-${kind}-profiled.log`),
  });
  await load({ ...route.spec(port), connections: opts.connections, duration: opts.warmup });
  const res = await load({ ...route.spec(port), connections: opts.connections, duration: opts.duration });
  await server.stop();
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${dir}`);
  // By function name: the generated server is one bundled file, so no source path marks its items code.
  const first = { firstRequestFn: kind === 'generated' ? /^(listItems|createItem)$/ : /^(listItemsRoute|createItemRoute)$/ };
  return { ...analyzeProfile(join(dir, file), { skipSeconds: opts.warmup, ...first }), requests: res.requests, file: join(dir, file) };
}

const results = [];
const profiles = [];
for (const engine of engines) {
  const project = generateProject(join(work, `gen-${engine}`), {
    framework: 'fastify',
    auth: 'none',
    database: engine,
    beforeBuild: addInAppBareModule,
  });
  const db = await freshDatabase(engine, work);
  try {
    const env = serverEnv(GEN_PORT, db.url, inAppBareEnv(engine));
    migrate(project, env);
    const rows = await seedItems(engine, db.url, SEED);
    log(`${engine}: seeded ${rows} rows (${SEED.ownerRows} for the measured owner)`);

    const gen = await startServer({ name: `generated ${engine}`, args: ['dist/server.js'], cwd: project, env, port: GEN_PORT, logFile: join(logs, `${engine}-generated.log`) });
    const bareEnv = { PATH: process.env.PATH, ENGINE: engine, DATABASE_URL: db.url, PORT: String(BARE_PORT), LOG_FILE: join(logs, `${engine}-bare.log`), OWNER };
    const bare = await startServer({
      name: `bare ${engine}`,
      args: [join(root, 'bench/db/bare-server.mjs')],
      cwd: work,
      env: bareEnv,
      port: BARE_PORT,
      logFile: join(logs, `${engine}-bare.stdout.log`),
    });
    try {
      // Same answer on both sides, or the comparison means nothing.
      const a = await getJson(GEN_PORT, '/api/v1/items?limit=20');
      const b = await getJson(BARE_PORT, '/api/v1/items?limit=20');
      const c = await getJson(GEN_PORT, `${IN_APP_BARE_PATH}?limit=20`);
      for (const other of [b, c]) {
        if (a.status !== 200 || JSON.stringify(a.body) !== JSON.stringify(other.body) || a.body.data.length !== 20) {
          throw new Error(`list answers differ: generated ${a.status} ${JSON.stringify(a.body).slice(0, 300)} / bare ${JSON.stringify(other.body).slice(0, 300)}`);
        }
      }
      for (const route of routes) {
        log(`${engine} ${route.route}: ${opts.rounds} rounds of ${opts.duration} s, ${opts.connections} connections`);
        const [g, s, r] = await sideBySide(
          [
            { label: 'generated', spec: route.spec(GEN_PORT), pid: gen.child.pid },
            { label: 'in-app bare', spec: route.spec(GEN_PORT, IN_APP_BARE_PATH), pid: gen.child.pid },
            { label: 'bare fastify', spec: route.spec(BARE_PORT), pid: bare.child.pid },
          ],
          opts,
        );
        const ratio = g.rps / s.rps;
        results.push({ engine, route: route.route, g, s, b: r, ratio });
        // Profiled now, before `create` adds rows that a later `list` would have to count and sort.
        if (values.profile === 'always' || (values.profile === 'auto' && ratio < TARGET)) {
          log(`${engine} ${route.route}: profiling both servers`);
          const gp = await profileServer('generated', project, env, engine, route, bareEnv);
          const bp = await profileServer('bare', project, env, engine, route, bareEnv);
          profiles.push({ engine, route: route.route, g: gp, b: bp });
        }
      }
    } finally {
      await gen.stop();
      await bare.stop();
    }
  } finally {
    await db.drop();
  }
}

// ---------------------------------------------------------------------------------------------- report
const m = machine();
const lines = [];
lines.push('## Database routes: generated vs bare driver (issue 3)');
lines.push('');
const loads = results.flatMap((r) => [...r.g.loadavg, ...r.s.loadavg, ...r.b.loadavg]).filter(Number.isFinite);
lines.push(
  `Machine: ${m.nproc} CPUs (${m.cpu}), Node ${m.node}, ${m.date}. PostgreSQL 15 and MariaDB 10.11 on the same machine. ` +
    `Load average during the rounds: ${fmt(Math.min(...loads), 1)}–${fmt(Math.max(...loads), 1)}.`,
);
lines.push('');
lines.push('```');
lines.push(`npm run build && (cd bench && npm ci) && PATH="$(bash scripts/node24.sh):$PATH" node bench/db/run.mjs --engines ${values.engines} --rounds ${opts.rounds} --duration ${opts.duration} --connections ${opts.connections}`);
lines.push('```');
lines.push('');
lines.push(
  'Three servers answer the same requests on the same seeded table ' +
    `(${SEED.ownerRows * (SEED.otherOwners + 1)} rows, ${SEED.ownerRows} of them the caller's), side by side: ` +
    '**generated** is `/api/v1/items` of a fastify project with auth `none` and no features, built with its own `npm run build` ' +
    'and run as `NODE_ENV=production node dist/server.js` (every edge step on, one log line per request to a file, ' +
    '`RATE_LIMIT_PER_MINUTE=1000000` so no request meets a 429, `MAX_EVENT_LOOP_DELAY_MS=60000`); **in-app bare** is a ' +
    'hand-written route in the same server process (`bench/db/lib/in-app-bare.mjs`, mounted at `/api/v1/bare-items`) that ' +
    'runs the bare driver with prepared statements (better-sqlite3 `prepare`, pg named queries, mysql2 `execute`, ' +
    '`bench/db/lib/drivers.mjs`): same edge, same route runner, same log line, but no zod, no Kysely, no sanitiser, no ' +
    'field allowlist, so **generated ÷ in-app bare is the price of the data layer**, the target of issue 3; **bare ' +
    'Fastify** is the same routes in a plain Fastify server with the same driver code (`bench/db/bare-server.mjs`), so ' +
    'generated ÷ bare Fastify is the whole stack (edge + data layer; the edge alone is measured in the stack section). ' +
    'Same SQL everywhere (list + count in parallel, insert), pool of 10, same JSON. autocannon in its own process, ' +
    `${opts.connections} connections, ${opts.rounds} interleaved rounds of ${opts.duration} s after a ${opts.warmup} s ` +
    'warm-up each; the median round is shown. CPU µs/req is the server process CPU time over the round divided by the ' +
    'requests answered (the two app routes share one process but are measured in separate rounds).',
);
lines.push('');
lines.push(
  table(
    ['Engine', 'Route', 'Generated req/s', 'In-app bare req/s', 'Bare Fastify req/s', `Generated ÷ in-app bare (target ≥ ${TARGET})`, 'Generated ÷ bare Fastify', 'CPU µs/req gen / in-app / Fastify', 'p99 ms gen / in-app / Fastify', 'non-2xx + errors'],
    results.map(({ engine, route, g, s, b, ratio }) => [
      engine,
      routes.find((r) => r.route === route).label,
      fmt(g.rps),
      fmt(s.rps),
      fmt(b.rps),
      `${fmt(ratio, 2)} ${ratio >= TARGET ? '✓' : '✗'}`,
      fmt(g.rps / b.rps, 2),
      `${fmt(g.cpuPerReq)} / ${fmt(s.cpuPerReq)} / ${fmt(b.cpuPerReq)}`,
      `${fmt(g.p99, 1)} / ${fmt(s.p99, 1)} / ${fmt(b.p99, 1)}`,
      String(g.non2xx + g.errors + s.non2xx + s.errors + b.non2xx + b.errors),
    ]),
  ),
);
const perReq = (p, ms) => (ms * 1000) / p.requests;
for (const { engine, route, g, b } of profiles) {
  lines.push('');
  lines.push(`### Where the time goes: ${engine} ${route} (\`node --cpu-prof\`, ${opts.duration} s after the warm-up, server CPU µs per request)`);
  lines.push('');
  lines.push(
    `Busy CPU per request under the profiler: generated ${fmt(perReq(g, g.busyMs))} µs, bare ${fmt(perReq(b, b.busyMs))} µs ` +
      `(${g.requests} and ${b.requests} requests).`,
  );
  lines.push('');
  const names = [...new Set([...g.categories.slice(0, 14), ...b.categories.slice(0, 8)].map((c) => c.name))];
  const msOf = (p, name) => p.categories.find((c) => c.name === name)?.ms ?? 0;
  lines.push(
    table(
      ['Self time in', 'Generated µs/req', 'Bare µs/req', 'Difference'],
      names.map((name) => [name, fmt(perReq(g, msOf(g, name)), 1), fmt(perReq(b, msOf(b, name)), 1), fmt(perReq(g, msOf(g, name)) - perReq(b, msOf(b, name)), 1)]),
    ),
  );
  lines.push('');
  lines.push(
    table(
      ['Generated: inclusive time under', 'µs/req', 'Share of busy'],
      g.markers.filter((x) => x.ms > 0).map((c) => [c.name, fmt(perReq(g, c.ms), 1), `${fmt(c.share * 100, 1)} %`]),
    ),
  );
}
const markdown = lines.join('\n');
console.log(markdown);
if (!values['no-write']) writeSection('db', markdown);
