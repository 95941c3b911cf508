/**
 * API keys in the database (C08, C10): `npm run apikey:create` prints a key once and stores only its SHA-256;
 * the key works at once with its scopes; `npm run apikey:revoke` ends it on the next request.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../src/database/db.js';
import { type FreshDatabase, freshDatabase } from './helpers/database.js';
import { request, startServer, type TestServer } from './helpers/server.js';

const run = promisify(execFile);
let fresh: FreshDatabase;
let server: TestServer;

/** Run a script the way `npm run` does (tsx from src), against the test database. */
async function script(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['node_modules/tsx/dist/cli.mjs', file, ...args], {
      env: { PATH: process.env.PATH, NODE_ENV: 'test', ...fresh.env },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  fresh = await freshDatabase();
  server = await startServer({ ...fresh.env, RATE_LIMIT_PER_MINUTE: '100000', MAX_EVENT_LOOP_DELAY_MS: '60000' });
});
afterAll(async () => {
  await server?.close();
  await fresh?.drop();
});

describe('C08 C10 apikey:create and apikey:revoke', () => {
  it('creates a key, prints it once, stores only its hash; the key works within its scopes; revoke ends it', async () => {
    const created = await script('src/api-keys/create-key.ts', ['--name', 'ci reader', '--scopes', 'items:read']);
    expect(created.code, created.stderr).toBe(0);
    const key = /sk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}/.exec(created.stdout)?.[0] as string;
    expect(key).toBeDefined();
    const prefix = key.slice(3, 15);

    const rows = await getDb(server.app).selectFrom('api_keys').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      name: 'ci reader',
      prefix,
      key_hash: createHash('sha256').update(key).digest('hex'),
      scopes: 'items:read',
    });
    expect(JSON.stringify(rows)).not.toContain(key.slice(16));

    const list = await request(server, '/api/v1/items', { headers: { 'x-api-key': key } });
    expect(list.status).toBe(200);
    const write = await request(server, '/api/v1/items', {
      method: 'POST',
      json: { title: 'x' },
      headers: { authorization: `Bearer ${key}` },
    });
    expect(write.status).toBe(403);

    const revoked = await script('src/api-keys/revoke-key.ts', ['--prefix', prefix]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect((await request(server, '/api/v1/items', { headers: { 'x-api-key': key } })).status).toBe(401);
    expect((await script('src/api-keys/revoke-key.ts', ['--prefix', prefix])).code).toBe(2);
  });

  it('refuses unknown scopes and a missing name with usage errors', async () => {
    expect((await script('src/api-keys/create-key.ts', ['--name', 'x', '--scopes', 'items:delete'])).code).toBe(2);
    expect((await script('src/api-keys/create-key.ts', ['--scopes', 'items:read'])).code).toBe(2);
  });

  it('each key owns what it creates: another key cannot see it (404)', async () => {
    const make = async (name: string) => {
      const out = await script('src/api-keys/create-key.ts', ['--name', name, '--scopes', 'items:read,items:write']);
      return /sk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}/.exec(out.stdout)?.[0] as string;
    };
    const [one, two] = await Promise.all([make('one'), make('two')]);
    const item = await request(server, '/api/v1/items', {
      method: 'POST',
      json: { title: 'mine' },
      headers: { 'x-api-key': one },
    });
    expect(item.status).toBe(201);
    expect((await request(server, `/api/v1/items/${item.json().id}`, { headers: { 'x-api-key': two } })).status).toBe(
      404,
    );
    expect((await request(server, `/api/v1/items/${item.json().id}`, { headers: { 'x-api-key': one } })).status).toBe(
      200,
    );
  });
});
