import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa, type Options } from 'execa';

export const REPO = resolve(import.meta.dirname, '../..');
export const E2E_DIR = join(REPO, '.cache/e2e');
export const TARBALL = join(E2E_DIR, 'create-secure-api.tgz');
/** Projects are generated outside the repo, as a user would. */
export const WORK_DIR = join(tmpdir(), 'csa-e2e');

export const NODE24_BIN: string = process.env.NODE24_BIN ?? execFileSync('bash', [join(REPO, 'scripts/node24.sh')], { encoding: 'utf8' }).trim();

export interface Combo {
  framework: 'express' | 'fastify' | 'hono';
  auth: 'jwt' | 'session' | 'api-key' | 'none';
  database: 'sqlite' | 'postgres' | 'mysql' | 'none';
  features: string;
  /** `real`: the CLI installs with npm (a user's path); `shared`: node_modules linked to the pre-installed set. */
  install: 'real' | 'shared';
}

export const comboName = (c: Combo) => `${c.framework}-${c.auth}-${c.database}`;

/** Environment for commands run in a generated project: Node 24 first, native addons built against it. */
export function projectEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: `${NODE24_BIN}:${process.env.PATH ?? ''}`,
    npm_config_nodedir: resolve(NODE24_BIN, '..'),
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    CI: 'true',
    NO_COLOR: '1',
    ...extra,
  };
}

export async function run(cmd: string, args: string[], options: Options & { cwd: string }): Promise<string> {
  const result = await execa(cmd, args, { all: true, reject: false, timeout: 10 * 60_000, ...options, env: { ...projectEnv(), ...(options.env ?? {}) } });
  if (result.exitCode !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed in ${options.cwd} (exit ${result.exitCode}):\n${String(result.all).slice(-6000)}`);
  }
  return String(result.all);
}

export const TEST_DATABASE_URLS: Record<string, string> = {
  postgres: 'postgres://postgres@127.0.0.1:5432/postgres',
  mysql: 'mysql://root@127.0.0.1:3306/mysql',
};

/** Run one statement on the local PostgreSQL or MariaDB server with its command-line client. */
export async function adminSql(database: 'postgres' | 'mysql', statement: string): Promise<void> {
  const [cmd, args] = database === 'postgres'
    ? ['psql', ['-h', '127.0.0.1', '-U', 'postgres', '-c']]
    : ['mariadb', ['-h', '127.0.0.1', '-u', 'root', '-e']];
  await run(cmd, [...args, statement], { cwd: WORK_DIR });
}

/** Generate a project with the CLI, outside the repo; install it for real or link the shared set. */
export async function generateProject(combo: Combo): Promise<string> {
  mkdirSync(WORK_DIR, { recursive: true });
  const dir = join(WORK_DIR, comboName(combo));
  rmSync(dir, { recursive: true, force: true });
  const args = [
    join(REPO, 'bin/create-secure-api.js'), dir,
    '--framework', combo.framework, '--auth', combo.auth, '--database', combo.database, '--features', combo.features,
    '--generator-spec', `file:${TARBALL}`,
  ];
  if (combo.install === 'shared') args.push('--no-install', '--no-git');
  await run('node', args, { cwd: WORK_DIR, stdin: 'ignore' });
  if (combo.install === 'shared') symlinkSync(join(REPO, '.cache/app-deps/node_modules'), join(dir, 'node_modules'));
  return dir;
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export function secret(): string {
  return randomBytes(48).toString('base64url');
}

/** Start a built server as the Procfile's web process would, and wait until it listens. */
export async function bootProduction(dir: string, env: Record<string, string>): Promise<{ port: number; stop(): Promise<{ code: number | null; output: string }> }> {
  const procfile = readFileSync(join(dir, 'Procfile'), 'utf8');
  const web = /^web:\s*(.+)$/m.exec(procfile)?.[1];
  if (!web) throw new Error('Procfile has no web process');
  const [cmd, ...args] = web.trim().split(/\s+/) as [string, ...string[]];
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(cmd, args, { cwd: dir, env: { ...projectEnv(), ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`server exited at boot (${child.exitCode}):\n${output}`);
    try {
      await fetch(`http://127.0.0.1:${port}/health`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    port,
    async stop() {
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<number | null>((r) => setTimeout(() => { child.kill('SIGKILL'); r(-1); }, 15_000))]);
      return { code, output };
    },
  };
}

export { existsSync };
