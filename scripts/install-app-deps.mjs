#!/usr/bin/env node
// Install every dependency a generated project can have (src/versions.ts) once, under Node 24, into
// .cache/app-deps. Contributors link it into assembled projects (scripts/dev-project.mjs) and the
// end-to-end suite links it into the combinations it does not install from scratch.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const { versions } = await import(join(root, 'dist/versions.js'));
const dir = join(root, '.cache/app-deps');
mkdirSync(dir, { recursive: true });
const pkg = `${JSON.stringify({ name: 'app-deps', private: true, dependencies: versions }, null, 2)}\n`;
const pkgFile = join(dir, 'package.json');
const same = existsSync(pkgFile) && readFileSync(pkgFile, 'utf8') === pkg && existsSync(join(dir, 'node_modules/.package-lock.json'));
if (same) {
  console.log('app-deps up to date');
} else {
  writeFileSync(pkgFile, pkg);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
}
