#!/usr/bin/env node
// Startup A/B of two built projects (e.g. the same answers generated at two commits): boots each one in turn,
// alternating which goes first, and reports spawn → first 200 on /health for both and the paired difference,
// which cancels what the machine was doing at that moment. Each project is booted in production with the WAF's
// 100,000-rule list (the rules file run.mjs writes) and a country rule, as run.mjs's startup phase does.
//
//   PATH=<node24>/bin:$PATH node bench/stack/startup-ab.mjs <projectA> <projectB> [runs=21] [--rules FILE]
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeRulesFile } from './rules.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { rules: { type: 'string' } } });
const [dirA, dirB, runs = '21'] = positionals;
if (!dirA || !dirB) {
  console.error('usage: node bench/stack/startup-ab.mjs <projectA> <projectB> [runs] [--rules FILE]');
  process.exit(2);
}
const work = join(tmpdir(), 'csa-startup-ab');
mkdirSync(work, { recursive: true });
const rules = values.rules ?? writeRulesFile(join(work, 'rules-100000.txt'), 100_000);
const secret = () => randomBytes(48).toString('base64url');
const envFor = (port) => ({
  PATH: process.env.PATH,
  NODE_ENV: 'production',
  ALLOWED_HOSTS: '127.0.0.1,localhost',
  TRUST_PROXY_HOPS: '1',
  JWT_SECRET: secret(),
  METRICS_TOKEN: secret(),
  DATABASE_URL: `file:${join(work, `${port}.db`)}`,
  DATABASE_SSL: 'disable',
  UPLOAD_DIR: join(work, 'uploads'),
  WAF_CHALLENGE_SECRET: secret(),
  WAF_PROXY_LIST_CACHE: join(work, 'proxies.txt'),
  WAF_BLOCK_COUNTRIES: 'KP',
  WAF_BLOCK_IPS_FILE: rules,
  PORT: String(port),
});
const health = (port) =>
  new Promise((done) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/health', headers: { host: 'localhost' } }, (res) => {
      res.resume();
      done(res.statusCode);
    });
    req.on('error', () => done(0));
  });

async function boot(dir, port) {
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/server.js'], { cwd: dir, env: envFor(port), stdio: ['ignore', 'ignore', 'inherit'] });
  while ((await health(port)) !== 200) await new Promise((r) => setTimeout(r, 2));
  const ms = performance.now() - started;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  return ms;
}

const projects = [
  { dir: resolve(dirA), port: 4101, times: [] },
  { dir: resolve(dirB), port: 4102, times: [] },
];
for (const p of projects) {
  execFileSync(process.execPath, ['dist/db/migrate.js'], { cwd: p.dir, env: envFor(p.port) });
  await boot(p.dir, p.port); // warms the disk cache
}
for (let i = 0; i < Number(runs); i++) {
  for (const p of i % 2 ? [...projects].reverse() : projects) p.times.push(await boot(p.dir, p.port));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const [a, b] = projects;
for (const [name, p] of [['A', a], ['B', b]]) console.log(`${name} ${p.dir}: median ${median(p.times).toFixed(0)} ms (${Math.min(...p.times).toFixed(0)}–${Math.max(...p.times).toFixed(0)})`);
const diffs = a.times.map((t, i) => b.times[i] - t);
console.log(`B − A, paired by run: median ${median(diffs).toFixed(0)} ms over ${diffs.length} runs`);
