#!/usr/bin/env node
// Issue 2, item 7: how long generating the default project takes (no install), median of repeated runs,
// side by side in one run with create-vite (vanilla-ts), fastify-cli generate and nest new --skip-install;
// and what `npm create` downloads (packages, MB) from a packed tarball into an empty cache.
//
//   npm run build && (cd bench && npm install) && node bench/create.mjs [--runs 15]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' }, 'skip-size': { type: 'boolean' } } });
const runs = Number(values.runs);
const root = resolve(import.meta.dirname, '..');
const benchBin = (name) => join(root, 'bench/node_modules/.bin', name);

const tools = [
  { name: 'create-secure-api (default project)', cmd: process.execPath, args: (d) => [join(root, 'bin/create-secure-api.js'), join(d, 'app'), '--yes', '--no-install', '--no-git'] },
  { name: 'create-vite (vanilla-ts)', cmd: benchBin('create-vite'), args: (d) => [join(d, 'app'), '--template', 'vanilla-ts', '--no-interactive'] },
  { name: 'fastify-cli generate', cmd: benchBin('fastify'), args: (d) => ['generate', join(d, 'app'), '--lang=ts'] },
  { name: 'nest new --skip-install', cmd: benchBin('nest'), args: (d) => ['new', 'app', '--skip-install', '--skip-git', '--package-manager', 'npm', '--directory', join(d, 'app')] },
];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const rows = [];
for (const tool of tools) {
  const times = [];
  let error = '';
  for (let i = 0; i < runs + 1; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'csa-bench-'));
    const start = process.hrtime.bigint();
    const r = spawnSync(tool.cmd, tool.args(dir), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    rmSync(dir, { recursive: true, force: true });
    if (r.status !== 0) {
      error = String(r.stderr || r.stdout).split('\n').slice(0, 3).join(' ');
      break;
    }
    if (i > 0) times.push(seconds); // the first run warms the disk cache
  }
  rows.push({ tool: tool.name, median: times.length ? median(times).toFixed(3) : `failed: ${error}`, runs: times.length });
}

function installSize(spec) {
  const dir = mkdtempSync(join(tmpdir(), 'csa-size-'));
  const cache = join(dir, 'cache');
  execFileSync('npm', ['init', '-y'], { cwd: dir, stdio: 'ignore' });
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--cache', cache, spec], { cwd: dir, stdio: 'ignore' });
  const lock = JSON.parse(execFileSync('cat', [join(dir, 'package-lock.json')], { encoding: 'utf8' }));
  const packages = Object.keys(lock.packages).filter((k) => k.startsWith('node_modules/')).length;
  let bytes = 0;
  const walk = (p) => {
    for (const e of readdirSync(p, { withFileTypes: true })) {
      const f = join(p, e.name);
      if (e.isDirectory()) walk(f);
      else bytes += statSync(f).size;
    }
  };
  walk(join(cache, '_cacache'));
  rmSync(dir, { recursive: true, force: true });
  return { packages, mb: (bytes / 1e6).toFixed(1) };
}

console.log(`\nGenerate a project, no install: median of ${runs} runs (s)\n`);
console.log('| Tool | Median (s) |\n|---|---|');
for (const r of rows) console.log(`| ${r.tool} | ${r.median} |`);

if (!values['skip-size']) {
  const tgz = execFileSync('npm', ['pack', '--silent', '--pack-destination', tmpdir()], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
  const sizes = [
    ['create-secure-api (packed tarball)', join(tmpdir(), tgz)],
    ['create-fastify', 'create-fastify'],
    ['@nestjs/cli', '@nestjs/cli'],
  ];
  console.log('\nWhat `npm create` downloads into an empty cache\n');
  console.log('| Package | Packages | Download (MB) |\n|---|---|---|');
  for (const [name, spec] of sizes) {
    const s = installSize(spec);
    console.log(`| ${name} | ${s.packages} | ${s.mb} |`);
  }
}
