/**
 * Auth style `api-key` over real HTTP (C08, C14, C21): keys by X-API-Key or Bearer only, hashed comparison,
 * scopes enforced by the route guard, each key its own principal, no user or login routes.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../src/auth/api-key-format.js';
import type { RouteDef } from '../src/core/types.js';
import { authHeaders } from './helpers/auth.js';
import { type FreshDatabase, freshDatabase } from './helpers/database.js';
import { request, startServer, type TestServer } from './helpers/server.js';

const reader = generateApiKey();
const admin = generateApiKey();

/** Routes that show who the guard let through, one per kind of rule. */
const probes: RouteDef[] = [
  {
    method: 'GET',
    path: '/api/v1/probe/read',
    auth: { scope: 'items:read' },
    handler: async (req) => ({ body: req.principal }),
  },
  {
    method: 'POST',
    path: '/api/v1/probe/write',
    auth: { scope: 'items:write' },
    handler: async (req) => ({ body: req.principal }),
  },
  {
    method: 'GET',
    path: '/api/v1/probe/admin',
    auth: { role: 'admin' },
    handler: async (req) => ({ body: req.principal }),
  },
];

let fresh: FreshDatabase;
let server: TestServer;

beforeAll(async () => {
  fresh = await freshDatabase();
  server = await startServer(
    {
      ...fresh.env,
      API_KEY_HASHES: `reader:${reader.hash}:items:read,boss:${admin.hash}:items:read+items:write+admin`,
      RATE_LIMIT_PER_MINUTE: '100000',
      MAX_EVENT_LOOP_DELAY_MS: '60000',
    },
    { extraRoutes: probes },
  );
});
afterAll(async () => {
  await server?.close();
  await fresh?.drop();
});

const read = (headers: Record<string, string>) => request(server, '/api/v1/probe/read', { headers });

describe('C08 API keys from API_KEY_HASHES', () => {
  it('accepts a key in X-API-Key or as a Bearer token, as an apikey principal with its scopes', async () => {
    const ways: Record<string, string>[] = [
      { 'x-api-key': reader.key },
      { authorization: `Bearer ${reader.key}` },
      { authorization: `bearer ${reader.key}` },
    ];
    for (const headers of ways) {
      const res = await read(headers);
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({ id: 'key:reader', kind: 'apikey', role: 'user', scopes: ['items:read'] });
    }
  });

  it('refuses no key, a wrong secret with a real prefix, a malformed key, a key in the query string, other schemes', async () => {
    const none = await read({});
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    const wrongSecret = `${reader.key.slice(0, 16)}${'A'.repeat(43)}`;
    expect((await read({ 'x-api-key': wrongSecret })).status).toBe(401);
    expect((await read({ 'x-api-key': reader.key.slice(0, -1) })).status).toBe(401);
    expect((await read({ 'x-api-key': `${reader.key}x` })).status).toBe(401);
    expect((await read({ 'x-api-key': reader.hash })).status).toBe(401); // the stored hash is not a key
    expect((await request(server, `/api/v1/probe/read?api_key=${reader.key}`)).status).toBe(401);
    expect((await request(server, `/api/v1/probe/read?key=${reader.key}`)).status).toBe(401);
    for (const scheme of ['Basic', 'Token', 'ApiKey']) {
      expect((await read({ authorization: `${scheme} ${reader.key}` })).status, scheme).toBe(401);
    }
    expect((await read({ authorization: `Basic ${Buffer.from(`${reader.key}:`).toString('base64')}` })).status).toBe(
      401,
    );
  });

  it('enforces scopes: a read-only key cannot write or reach admin routes (403); the admin key can', async () => {
    expect(
      (await request(server, '/api/v1/probe/write', { method: 'POST', headers: { 'x-api-key': reader.key } })).status,
    ).toBe(403);
    expect((await request(server, '/api/v1/probe/admin', { headers: { 'x-api-key': reader.key } })).status).toBe(403);
    const boss = await request(server, '/api/v1/probe/admin', { headers: { 'x-api-key': admin.key } });
    expect(boss.status).toBe(200);
    expect(boss.json()).toMatchObject({ id: 'key:boss', role: 'admin' });
    expect(
      (await request(server, '/api/v1/probe/write', { method: 'POST', headers: { 'x-api-key': admin.key } })).status,
    ).toBe(200);
  });

  it('makes each key its own principal', async () => {
    const a = (await read(await authHeaders(server, 'alice'))).json();
    const b = (await read(await authHeaders(server, 'bob'))).json();
    expect(a.id).not.toBe(b.id);
    expect(a.kind).toBe('apikey');
  });

  it('stores and compares only SHA-256 digests (the configured value is the hash of the key)', () => {
    expect(reader.hash).toBe(createHash('sha256').update(reader.key).digest('hex'));
    expect(reader.key).toMatch(/^sk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(reader.key.slice(16), 'base64url')).toHaveLength(32);
  });

  it('has no user, login or admin-user routes', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/users/me'],
      ['POST', '/api/v1/auth/token'],
      ['POST', '/api/v1/auth/login'],
      ['POST', '/api/v1/auth/register'],
      ['GET', '/api/v1/admin/users'],
    ]) {
      const res = await request(server, path as string, {
        method,
        headers: { 'x-api-key': admin.key },
        json: method === 'POST' ? {} : undefined,
      });
      expect(res.status, path).toBe(404);
    }
  });

  it('C14 never logs a key', () => {
    const log = server.logs.join('\n');
    expect(log).toContain('"event":"auth_failed"');
    expect(log).not.toContain(reader.key.slice(16));
    expect(log).not.toContain(admin.key.slice(16));
  });
});

describe('C21 API_KEY_HASHES is checked at boot', () => {
  it('refuses malformed entries, naming the variable and not the value', async () => {
    for (const value of [
      'reader:nothex:items:read',
      `reader:${reader.hash}:items:delete`,
      `a:${reader.hash}:admin,a:${admin.hash}:admin`,
      'just-a-name',
    ]) {
      const error = await startServer({ ...fresh.env, API_KEY_HASHES: value }).then(
        async (s) => {
          await s.close();
          return undefined;
        },
        (e: Error) => e,
      );
      expect(error?.message, value).toContain('API_KEY_HASHES');
      expect(error?.message).not.toContain(reader.hash);
    }
  });
});
