import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plan } from '../../src/engine/plan.js';
import { envVars } from '../../src/engine/render/env-example.js';
import { TcpProxy } from './tcp-proxy.js';
import { highAdvisory, startAdvisoryStub } from './audit-stub.js';
import { adminSql, bootProduction, type Combo, comboName, generateProject, projectEnv, readJson, REPO, run, secret, TEST_DATABASE_URLS } from './harness.js';

/** Production settings for a boot probe: every declared secret gets a strong random value. */
function productionEnv(combo: Combo, dir: string, databaseUrl?: string): Record<string, string> {
  const answers = { projectName: 'probe', framework: combo.framework, auth: combo.auth, database: combo.database, features: combo.features === 'none' ? [] : combo.features === 'all' ? ['waf', 'uploads', 'websocket', 'docs', 'metrics', 'redis'] : combo.features.split(',') } as Parameters<typeof plan>[0];
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    ALLOWED_HOSTS: 'localhost,127.0.0.1',
    TRUST_PROXY_HOPS: '1',
    LOG_LEVEL: 'warn',
  };
  // Secrets get strong random values; connection URLs (also secret) are set below only where a service exists.
  for (const v of envVars(plan(answers).units)) if (v.secret && !v.name.endsWith('_URL')) env[v.name] = secret();
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
      // One test worker per project: the suite runs two projects at once on a two-core machine.
      const out = await run('npm', ['test', '--', '--maxWorkers=1'], { cwd: dir, env: testEnv, timeout: 12 * 60_000 });
      expect(out).toMatch(/Tests\s+\d+ passed/);
    });

    it('builds, migrates twice, boots from the Procfile in production and shuts down on SIGTERM (C24, C33, C35)', async () => {
      await run('npm', ['run', 'build'], { cwd: dir });
      let databaseUrl: string | undefined;
      let dropDatabase: (() => Promise<void>) | undefined;
      if (combo.database === 'postgres' || combo.database === 'mysql') {
        const name = `probe_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
        const admin = TEST_DATABASE_URLS[combo.database] as string;
        const engine = combo.database;
        await adminSql(engine, `CREATE DATABASE ${name}`);
        dropDatabase = () => adminSql(engine, `DROP DATABASE ${name}`);
        databaseUrl = admin.replace(/\/[^/]*$/, `/${name}`);
      }
      const env = productionEnv(combo, dir, databaseUrl);
      const waf = productionEnv(combo, dir).WAF_CHALLENGE_SECRET !== undefined;
      const blocklist = join(dir, 'data/blocklist.txt');
      if (waf) {
        mkdirSync(join(dir, 'data'), { recursive: true });
        writeFileSync(blocklist, '203.0.113.0/24 # W1, loaded at boot\n');
        env.WAF_BLOCK_IPS_FILE = blocklist;
      }
      try {
        if (combo.database !== 'none') {
          const release = /^release:\s*(.+)$/m.exec((await import('node:fs')).readFileSync(join(dir, 'Procfile'), 'utf8'))?.[1]?.split(/\s+/) ?? [];
          expect(release[0]).toBe('node');
          await run('node', release.slice(1), { cwd: dir, env });
          await run('node', release.slice(1), { cwd: dir, env });
        }
        // NODE_DEBUG_NATIVE makes Node say whether the code cache the build left (dist/.compile-cache) was used.
        const server = await bootProduction(dir, { ...env, NODE_DEBUG_NATIVE: 'COMPILE_CACHE' });
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
        if (waf) {
          // W1 in the bundle: the list read at boot, then a changed file rebuilt by the bundled worker thread.
          expect(existsSync(join(dir, 'dist/block-list.worker.js'))).toBe(true);
          expect(existsSync(join(dir, 'dist/proxy-set.worker.js'))).toBe(true);
          const from = (ip: string) => fetch(`${base}/health`, { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': ip } }).then((r) => r.status);
          expect(await from('203.0.113.9')).toBe(403);
          writeFileSync(blocklist, '198.51.100.0/24\n');
          for (let i = 0; i < 50 && (await from('198.51.100.7')) !== 403; i++) await new Promise((done) => setTimeout(done, 100));
          expect(await from('198.51.100.7')).toBe(403);
          expect(await from('203.0.113.9')).toBe(200);
        }
        const stopped = await server.stop();
        expect(stopped.code, stopped.output).toBe(0);
        expect(stopped.output).toMatch(/V8 code cache for ESM file:\S+\/dist\/main-[A-Z0-9]{8}\.js was accepted/);
      } finally {
        await dropDatabase?.();
      }
    });

    it.runIf(combo.database === 'postgres' || combo.database === 'mysql')('/ready goes 503 while the database is away and recovers without a restart (C33)', async () => {
      const name = `fault_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
      const engine = combo.database as 'postgres' | 'mysql';
      await adminSql(engine, `CREATE DATABASE ${name}`);
      const proxy = new TcpProxy(combo.database === 'postgres' ? 5432 : 3306);
      const port = await proxy.start();
      const user = combo.database === 'postgres' ? 'postgres' : 'root';
      const env = productionEnv(combo, dir, `${combo.database === 'postgres' ? 'postgres' : 'mysql'}://${user}@127.0.0.1:${port}/${name}`);
      const server = await bootProduction(dir, env);
      const ready = () => fetch(`http://127.0.0.1:${server.port}/ready`, { headers: { 'x-forwarded-proto': 'https' } });
      const waitFor = async (status: number) => {
        for (let i = 0; i < 50; i++) {
          const r = await ready();
          if (r.status === status) return r;
          await new Promise((done) => setTimeout(done, 200));
        }
        throw new Error(`/ready never answered ${status}`);
      };
      try {
        await waitFor(200);
        await proxy.stop();
        const down = await waitFor(503);
        const body = await down.text();
        expect(body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|password|stack/i);
        await proxy.start(port);
        await waitFor(200);
      } finally {
        const stopped = await server.stop();
        await proxy.stop();
        await adminSql(engine, `DROP DATABASE ${name}`);
        expect(stopped.code, stopped.output).toBe(0);
      }
    });

    it('refuses to boot in production with a missing setting or a weak secret, naming it and not the value (C21)', async () => {
      const { execa } = await import('execa');
      const boot = (env: Record<string, string>) =>
        execa('node', ['dist/server.js'], { cwd: dir, env: { ...projectEnv(), ...env, PORT: '0' }, reject: false, timeout: 20_000 });
      const noHosts = await boot({ ...productionEnv(combo, dir, TEST_DATABASE_URLS[combo.database]), ALLOWED_HOSTS: '' });
      expect(noHosts.exitCode).toBe(1);
      expect(noHosts.stderr + noHosts.stdout).toMatch(/ALLOWED_HOSTS/);
      const env = productionEnv(combo, dir, TEST_DATABASE_URLS[combo.database]);
      if ('JWT_SECRET' in env) {
        const weak = await boot({ ...env, JWT_SECRET: 'changeme' });
        expect(weak.exitCode).toBe(1);
        expect(weak.stderr + weak.stdout).toMatch(/JWT_SECRET/);
        expect(weak.stderr + weak.stdout).not.toContain('changeme');
      }
    });

    it.runIf(combo.install === 'real')('gates `npm run audit` on high-severity advisories (C31), against a local advisory stub', async () => {
      const pkg = readJson<{ scripts: Record<string, string>; dependencies: Record<string, string> }>(join(dir, 'package.json'));
      expect(pkg.scripts.audit).toBe('npm audit --omit=dev --audit-level=high && npm audit signatures');
      const auditCommand = (pkg.scripts.audit as string).split('&&')[0]?.trim().split(/\s+/) ?? [];
      const { execa } = await import('execa');
      const clean = await startAdvisoryStub({});
      const vulnerable = await startAdvisoryStub(highAdvisory('zod'));
      try {
        const pass = await execa(auditCommand[0] as string, [...auditCommand.slice(1), `--registry=${clean.url}`], { cwd: dir, reject: false, env: projectEnv() });
        expect(pass.exitCode, pass.stdout + pass.stderr).toBe(0);
        expect(clean.requests).toBeGreaterThan(0);
        const fail = await execa(auditCommand[0] as string, [...auditCommand.slice(1), `--registry=${vulnerable.url}`], { cwd: dir, reject: false, env: projectEnv() });
        expect(fail.exitCode).not.toBe(0);
        expect(fail.stdout).toMatch(/high/i);
      } finally {
        clean.server.close();
        vulnerable.server.close();
      }
    });

    it('passes `secure-api check` (G6)', async () => {
      await run('node', [join(REPO, 'bin/create-secure-api.js'), 'check'], { cwd: dir });
    });

    it.runIf(combo.install === 'real' && combo.database !== 'none')('grows with `generate resource`: type-checks, passes the new tests and `check` (G5, G3)', async () => {
      const cli = join(REPO, 'bin/create-secure-api.js');
      await run('node', [cli, 'generate', 'resource', 'notes', '--fields', 'title:string,body:text?,done:boolean,due:date?'], { cwd: dir });
      await run('npm', ['run', 'typecheck'], { cwd: dir });
      const out = await run('npx', ['vitest', 'run', 'test/resources'], { cwd: dir, env: testEnv });
      expect(out).toMatch(/Tests\s+\d+ passed/);
      await run('node', [cli, 'check'], { cwd: dir });
    });

    afterAll(() => {
      // Keep the project for inspection when a test failed; CI machines are thrown away.
    });
  });
}
