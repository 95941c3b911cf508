import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plan } from '../../src/engine/plan.js';
import { envVars } from '../../src/engine/render/env-example.js';
import { bootProduction, type Combo, comboName, generateProject, readJson, REPO, run, secret, TEST_DATABASE_URLS } from './harness.js';

/** Production settings for a boot probe: every declared secret gets a strong random value. */
function productionEnv(combo: Combo, dir: string, databaseUrl?: string): Record<string, string> {
  const answers = { projectName: 'probe', framework: combo.framework, auth: combo.auth, database: combo.database, features: combo.features === 'none' ? [] : combo.features === 'all' ? ['waf', 'uploads', 'websocket', 'docs', 'metrics', 'redis'] : combo.features.split(',') } as Parameters<typeof plan>[0];
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    ALLOWED_HOSTS: 'localhost,127.0.0.1',
    TRUST_PROXY_HOPS: '1',
    LOG_LEVEL: 'warn',
  };
  for (const v of envVars(plan(answers).units)) if (v.secret) env[v.name] = secret();
  if (combo.database === 'sqlite') env.DATABASE_URL = `file:${join(dir, 'data/probe.db')}`;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  if (combo.database !== 'none') env.DATABASE_SSL = 'disable';
  if (combo.auth === 'api-key' && combo.database === 'none') env.API_KEY_HASHES = `probe:${'a'.repeat(64)}:items:read`;
  return env;
}

/**
 * One generated project, end to end: generate outside the repo, install, type-check, lint, run its own
 * tests against the real engine, build, migrate (twice), boot it from the Procfile in production, probe it
 * over a socket, SIGTERM it, and run `secure-api check` on it.
 */
export function projectSuite(combo: Combo): void {
  describe(`${comboName(combo)} (${combo.install} install, features ${combo.features})`, () => {
    let dir = '';
    const testEnv: Record<string, string> = {};
    if (combo.database === 'postgres' || combo.database === 'mysql') testEnv.TEST_DATABASE_URL = TEST_DATABASE_URLS[combo.database] as string;
    testEnv.TEST_REDIS_URL = 'redis://127.0.0.1:6379';

    beforeAll(async () => {
      dir = await generateProject(combo);
    });

    it('installs with exact pins, a lockfile and an initial commit (C26, G4)', async () => {
      const pkg = readJson<{ dependencies: Record<string, string>; engines: { node: string } }>(join(dir, 'package.json'));
      for (const [name, version] of Object.entries(pkg.dependencies)) expect(version, name).toMatch(/^\d+\.\d+\.\d+/);
      expect(pkg.engines.node).toBe('24.x');
      if (combo.install === 'real') {
        expect(readJson<{ lockfileVersion: number }>(join(dir, 'package-lock.json')).lockfileVersion).toBeGreaterThanOrEqual(3);
        const tracked = await run('git', ['ls-files'], { cwd: dir });
        expect(tracked).toContain('package-lock.json');
        expect(tracked).not.toContain('node_modules');
      }
    });

    it('type-checks and lints', async () => {
      await run('npm', ['run', 'typecheck'], { cwd: dir });
      await run('npm', ['run', 'lint'], { cwd: dir });
    });

    it('passes its own tests on Node 24 against the real engine (C29)', async () => {
      const out = await run('npm', ['test'], { cwd: dir, env: testEnv, timeout: 12 * 60_000 });
      expect(out).toMatch(/Tests\s+\d+ passed/);
    });

    it('builds, migrates twice, boots from the Procfile in production and shuts down on SIGTERM (C24, C33, C35)', async () => {
      await run('npm', ['run', 'build'], { cwd: dir });
      let databaseUrl: string | undefined;
      let dropDatabase: (() => Promise<void>) | undefined;
      if (combo.database === 'postgres' || combo.database === 'mysql') {
        const name = `probe_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
        const admin = TEST_DATABASE_URLS[combo.database] as string;
        const sql = combo.database === 'postgres' ? ['psql', ['-h', '127.0.0.1', '-U', 'postgres', '-c']] as const : ['mariadb', ['-h', '127.0.0.1', '-u', 'root', '-e']] as const;
        await run(sql[0], [...sql[1], `CREATE DATABASE ${name}`], { cwd: dir });
        dropDatabase = async () => { await run(sql[0], [...sql[1], `DROP DATABASE ${name}`], { cwd: dir }); };
        databaseUrl = admin.replace(/\/[^/]*$/, `/${name}`);
      }
      const env = productionEnv(combo, dir, databaseUrl);
      try {
        if (combo.database !== 'none') {
          const release = /^release:\s*(.+)$/m.exec((await import('node:fs')).readFileSync(join(dir, 'Procfile'), 'utf8'))?.[1]?.split(/\s+/) ?? [];
          expect(release[0]).toBe('node');
          await run('node', release.slice(1), { cwd: dir, env });
          await run('node', release.slice(1), { cwd: dir, env });
        }
        const server = await bootProduction(dir, env);
        const base = `http://127.0.0.1:${server.port}`;
        const health = await fetch(`${base}/health`, { headers: { 'x-forwarded-proto': 'https' } });
        expect(health.status).toBe(200);
        expect(await health.json()).toEqual({ status: 'ok' });
        expect(health.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
        expect(health.headers.get('x-content-type-options')).toBe('nosniff');
        expect(health.headers.get('x-powered-by')).toBeNull();
        const ready = await fetch(`${base}/ready`, { headers: { 'x-forwarded-proto': 'https' } });
        expect(ready.status).toBe(200);
        const plain = await fetch(`${base}/health`, { headers: { 'x-forwarded-proto': 'http' }, redirect: 'manual' });
        expect(plain.status).toBe(308);
        const docs = await fetch(`${base}/docs`, { headers: { 'x-forwarded-proto': 'https' } });
        expect(docs.status).toBe(404);
        const missing = await fetch(`${base}/api/v1/nope`, { headers: { 'x-forwarded-proto': 'https' } });
        expect(missing.status).toBe(404);
        expect(await missing.text()).not.toMatch(/at .*\.js:\d+/);
        const stopped = await server.stop();
        expect(stopped.code, stopped.output).toBe(0);
      } finally {
        await dropDatabase?.();
      }
    });

    it('refuses to boot in production with a weak secret or a missing setting, naming it (C21)', async () => {
      const env = productionEnv(combo, dir);
      env.ALLOWED_HOSTS = '';
      if ('JWT_SECRET' in env) env.JWT_SECRET = 'changeme';
      const result = await import('execa').then(({ execa }) => execa('node', ['dist/server.js'], { cwd: dir, env: { ...env, PORT: '0', PATH: process.env.PATH ?? '' }, reject: false, timeout: 20_000 }));
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr + result.stdout).toMatch(/ALLOWED_HOSTS/);
      if ('JWT_SECRET' in env) {
        expect(result.stderr + result.stdout).toMatch(/JWT_SECRET/);
        expect(result.stderr + result.stdout).not.toContain('changeme');
      }
    });

    it('passes `secure-api check` (G6)', async () => {
      await run('node', [join(REPO, 'bin/create-secure-api.js'), 'check'], { cwd: dir });
    });

    afterAll(() => {
      // Keep the project for inspection when a test failed; CI machines are thrown away.
    });
  });
}
