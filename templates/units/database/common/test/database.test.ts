/**
 * The database layer over real HTTP and a real engine: readiness follows the database and recovers without a
 * restart (C33), requests that need it get a generic 503 meanwhile, boot fails in one clear line, production
 * refuses an unencrypted URL (C09), both postgres URL forms connect (C11), statements are time-limited (C09),
 * and migrations are safe to run twice (C24).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { module as coreModule, settings as coreSettings } from '../src/core/module.js';
import { loadSettings, SettingsError } from '../src/core/settings.js';
import type { RouteDef } from '../src/core/types.js';
import { createDb, getDb, ping } from '../src/database/db.js';
import { module as databaseModule, settings as databaseSettings } from '../src/database/module.js';
import type { DatabaseSettings } from '../src/database/settings.js';
import { answers } from './helpers/answers.js';
import { type FreshDatabase, freshDatabase } from './helpers/database.js';
import { request, startServer, type TestServer } from './helpers/server.js';
import { closedPort, TcpProxy, withHostPort } from './helpers/tcp-proxy.js';

const engine = answers.database;
const networked = engine === 'postgres' || engine === 'mysql';
const run = promisify(execFile);

/** A route that needs the database and nothing else (no auth), to watch it from the outside. */
const probe: RouteDef = {
  method: 'GET',
  path: '/test/db-probe',
  auth: false,
  handler: async (_req, app) => {
    await sql`select 1`.execute(getDb(app));
    return { body: { ok: true } };
  },
};

/** A statement slower than DATABASE_STATEMENT_TIMEOUT_MS. */
const slow: RouteDef = {
  method: 'GET',
  path: '/test/db-slow',
  auth: false,
  handler: async (_req, app) => {
    await sql`select pg_sleep(3)`.execute(getDb(app));
    return { body: { ok: true } };
  },
};

function dbSettings(env: Record<string, string>, extra: Partial<DatabaseSettings> = {}): DatabaseSettings {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: env.DATABASE_URL ?? '',
    DATABASE_POOL_MAX: 2,
    DATABASE_STATEMENT_TIMEOUT_MS: 5000,
    ...extra,
  };
}

async function waitForStatus(server: TestServer, path: string, status: number, ms = 10_000): Promise<number> {
  const until = Date.now() + ms;
  let last = 0;
  while (Date.now() < until) {
    last = (await request(server, path)).status;
    if (last === status) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return last;
}

/** Load shedding (the core's own tests) would answer 503 on a busy runner and look like the database. */
const NOT_UNDER_TEST = { MAX_EVENT_LOOP_DELAY_MS: '60000' };

let fresh: FreshDatabase;
beforeAll(async () => {
  fresh = await freshDatabase();
});
afterAll(async () => {
  await fresh?.drop();
});

describe.runIf(networked)('C33 /ready follows the database and recovers without a restart', () => {
  let proxy: TcpProxy;
  let server: TestServer;

  beforeAll(async () => {
    const target = new URL(fresh.env.DATABASE_URL!);
    proxy = new TcpProxy(target.hostname, Number(target.port || (engine === 'postgres' ? 5432 : 3306)));
    const port = await proxy.start(0);
    server = await startServer(
      { ...fresh.env, ...NOT_UNDER_TEST, DATABASE_URL: withHostPort(fresh.env.DATABASE_URL!, '127.0.0.1', port) },
      { extraRoutes: [probe] },
    );
  });
  afterAll(async () => {
    await server?.close();
    await proxy?.stop();
  });

  it('answers 200, then 503 while the database is away (generic body), then 200 again', async () => {
    expect((await request(server, '/ready')).status).toBe(200);
    expect((await request(server, '/test/db-probe')).status).toBe(200);

    await proxy.stop();
    expect(await waitForStatus(server, '/ready', 503)).toBe(503);
    const down = await request(server, '/test/db-probe');
    expect(down.status).toBe(503);
    expect(down.json().error.code).toBe('unavailable');
    // Nothing about the engine, the address or the driver's error reaches the client.
    expect(down.text).not.toMatch(/ECONN|postgres|mysql|127\.0\.0\.1|terminated|stack/i);
    expect(server.logs.some((line) => line.includes('"db_unavailable"'))).toBe(true);

    await proxy.start();
    expect(await waitForStatus(server, '/ready', 200)).toBe(200);
    expect((await request(server, '/test/db-probe')).status).toBe(200);
  });
});

describe('C09 boot with an unreachable database fails in one clear line', () => {
  it('names where it tried, never the password, and carries no stack trace', async () => {
    const port = await closedPort();
    // SQLite: a database path below a regular file can be neither created nor opened.
    const blocker = join(await mkdtemp(join(tmpdir(), 'boot-')), 'a-file');
    await writeFile(blocker, '');
    const url =
      engine === 'postgres'
        ? `postgres://app:s3cret-pw@127.0.0.1:${port}/app`
        : engine === 'mysql'
          ? `mysql://app:s3cret-pw@127.0.0.1:${port}/app`
          : `file:${join(blocker, 'app.db')}`;
    const error = await startServer({ DATABASE_URL: url }).then(
      async (s) => {
        await s.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    // The entry point prints a SettingsError's message and exits 1 (no stack).
    expect(error).toBeInstanceOf(SettingsError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain('Cannot connect to the database');
    expect(message).not.toContain('s3cret-pw');
    expect((error as Error).stack).not.toMatch(/\n\s+at /);
    if (networked) expect(message).toContain(`127.0.0.1:${port}`);
  });
});

describe.runIf(networked)('C09 TLS is required in production', () => {
  const shape = { ...coreSettings, ...databaseSettings };
  const productionEnv = (url: string, extra: Record<string, string> = {}) => ({
    NODE_ENV: 'production',
    ALLOWED_HOSTS: 'api.example.com',
    DATABASE_URL: url,
    ...extra,
  });
  const withParams = (query: string) =>
    `${fresh.env.DATABASE_URL}${fresh.env.DATABASE_URL!.includes('?') ? '&' : '?'}${query}`;

  it('refuses a URL with sslmode=disable unless DATABASE_SSL=disable says so explicitly', () => {
    const url = withParams('sslmode=disable');
    expect(() => loadSettings(productionEnv(url), shape, [coreModule, databaseModule])).toThrow(
      /DATABASE_URL.*sslmode=disable/,
    );
    expect(() =>
      loadSettings(productionEnv(url, { DATABASE_SSL: 'disable' }), shape, [coreModule, databaseModule]),
    ).not.toThrow();
    // Outside production the same URL is fine (local databases rarely have TLS).
    expect(() =>
      loadSettings({ ...productionEnv(url), NODE_ENV: 'development' }, shape, [coreModule, databaseModule]),
    ).not.toThrow();
  });

  it('encrypts by default in production: against this TLS-less server the connection is refused', async () => {
    const db = createDb(dbSettings(fresh.env, { NODE_ENV: 'production' }), { rawErrors: true });
    await expect(ping(db, 5000)).rejects.toThrow(/ssl|secure|tls/i);
    await db.destroy();
  });

  it('DATABASE_SSL wins over sslmode in the URL, both ways', async () => {
    const plain = createDb(dbSettings({ DATABASE_URL: withParams('sslmode=require') }, { DATABASE_SSL: 'disable' }), {
      rawErrors: true,
    });
    await expect(ping(plain, 5000)).resolves.toBeUndefined();
    await plain.destroy();
    const tls = createDb(dbSettings({ DATABASE_URL: withParams('sslmode=disable') }, { DATABASE_SSL: 'require' }), {
      rawErrors: true,
    });
    await expect(ping(tls, 5000)).rejects.toThrow(/ssl|secure|tls/i);
    await tls.destroy();
  });
});

describe.runIf(engine === 'postgres')('C11 postgres:// and postgresql:// both connect', () => {
  it('serves /ready with either form', async () => {
    for (const scheme of ['postgres:', 'postgresql:']) {
      const url = fresh.env.DATABASE_URL!.replace(/^postgres(ql)?:/, scheme);
      const server = await startServer({ ...fresh.env, ...NOT_UNDER_TEST, DATABASE_URL: url });
      try {
        expect((await request(server, '/ready')).status, scheme).toBe(200);
      } finally {
        await server.close();
      }
    }
  });
});

describe.runIf(networked)('C09 statements are time-limited', () => {
  it.runIf(engine === 'postgres')(
    'a statement over DATABASE_STATEMENT_TIMEOUT_MS is cancelled: 503, not a hung request',
    async () => {
      const server = await startServer(
        { ...fresh.env, ...NOT_UNDER_TEST, DATABASE_STATEMENT_TIMEOUT_MS: '300' },
        { extraRoutes: [slow] },
      );
      try {
        const started = Date.now();
        const res = await request(server, '/test/db-slow');
        expect(res.status).toBe(503);
        expect(res.json().error.code).toBe('unavailable');
        expect(Date.now() - started).toBeLessThan(2500);
      } finally {
        await server.close();
      }
    },
  );

  it.runIf(engine === 'mysql')('every pooled session carries the limit', async () => {
    const db = createDb(dbSettings(fresh.env, { DATABASE_STATEMENT_TIMEOUT_MS: 1500 }), { rawErrors: true });
    try {
      const { rows } = await sql<{ v: string }>`select version() as v`.execute(db);
      const mariadb = /mariadb/i.test(rows[0]!.v);
      const limit = mariadb
        ? await sql<{ t: number }>`select @@session.max_statement_time as t`.execute(db)
        : await sql<{ t: number }>`select @@session.max_execution_time as t`.execute(db);
      expect(Number(limit.rows[0]!.t)).toBe(mariadb ? 1.5 : 1500);
    } finally {
      await db.destroy();
    }
  });
});

// Each run starts a fresh Node process with tsx: seconds on a loaded runner.
describe('C24 migrations: `npm run migrate` is safe to run twice', { timeout: 90_000 }, () => {
  const tsx = join(process.cwd(), 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const migrate = (env: Record<string, string>) =>
    run(process.execPath, [tsx, 'src/db/migrate.ts'], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
      timeout: 60_000,
    });

  it('applies pending migrations once, then nothing, exiting 0 both times', async () => {
    let env = fresh.env;
    let cleanup = async () => {};
    if (engine === 'sqlite') {
      // An empty database, so the first run has something to apply.
      const dir = await mkdtemp(join(tmpdir(), 'migrate-'));
      env = { DATABASE_URL: `file:${join(dir, 'app.db')}` };
      cleanup = () => rm(dir, { recursive: true, force: true });
    }
    try {
      const first = await migrate(env);
      if (engine === 'sqlite') expect(first.stdout).toContain('applied 0010_items');
      const second = await migrate(env);
      expect(second.stdout).toContain('(0 applied now)');
    } finally {
      await cleanup();
    }
  });

  it.runIf(networked)('an unreachable database exits 1 with one line and no password', async () => {
    const port = await closedPort();
    const url = `${engine}://app:s3cret-pw@127.0.0.1:${port}/app`;
    const failed = await migrate({ DATABASE_URL: url }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr.trim().split('\n')).toHaveLength(1);
    expect(failed?.stderr).not.toContain('s3cret-pw');
  });
});
