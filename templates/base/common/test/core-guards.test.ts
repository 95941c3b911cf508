import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpError } from '../src/core/errors.js';
import type { ApiRequest, AuthProvider, Principal, RouteDef } from '../src/core/types.js';
import { request, startServer, type TestServer } from './helpers/server.js';

const user: Principal = { id: 'u1', kind: 'user', role: 'user', scopes: ['items:read'] };
const admin: Principal = { id: 'a1', kind: 'user', role: 'admin', scopes: ['items:read', 'admin'] };
const calls: string[] = [];

/** A provider keyed by the test's own header, with a CSRF-like check on unsafe methods. */
const provider: AuthProvider = {
  challenge: 'Bearer',
  authenticate: async (req) => {
    const who = req.headers['x-test-user'];
    return who === 'admin' ? admin : who === 'user' ? user : null;
  },
  verifyUnsafe: async (req) => {
    calls.push('verifyUnsafe');
    if (req.headers['x-csrf-token'] !== 'ok') throw new HttpError(403, 'csrf_failed', 'CSRF token missing or wrong');
  },
};

const routes: RouteDef[] = [
  {
    method: 'GET',
    path: '/api/v1/guarded/any',
    auth: true,
    handler: async (req) => ({ body: { id: req.principal?.id } }),
  },
  {
    method: 'GET',
    path: '/api/v1/guarded/admin',
    auth: { role: 'admin' },
    handler: async () => ({ body: { ok: true } }),
  },
  { method: 'GET', path: '/api/v1/guarded/scope', auth: { scope: 'files:write' }, handler: async () => ({ body: {} }) },
  {
    method: 'POST',
    path: '/api/v1/guarded/write',
    auth: true,
    schema: { body: z.object({ title: z.string() }).strict() },
    handler: async (req: ApiRequest<Record<string, string>, unknown, { title: string }>) => {
      calls.push('handler');
      return { status: 201, body: { title: req.body.title } };
    },
  },
];

describe('C18 one guard chain for every route (auth → CSRF → validation → handler)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({}, { extraRoutes: routes });
    server.app.auth = provider;
  });
  afterAll(() => server.close());

  it('no credentials: 401 with WWW-Authenticate, before validation', async () => {
    const res = await request(server, '/api/v1/guarded/write', { method: 'POST', json: { wrong: 1 } });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.json().error.code).toBe('unauthorized');
  });

  it('role and scope rules: 403 for others, 200 for the right principal', async () => {
    expect((await request(server, '/api/v1/guarded/any', { headers: { 'x-test-user': 'user' } })).json()).toEqual({
      id: 'u1',
    });
    const forbidden = await request(server, '/api/v1/guarded/admin', { headers: { 'x-test-user': 'user' } });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json().error.code).toBe('forbidden');
    expect((await request(server, '/api/v1/guarded/admin', { headers: { 'x-test-user': 'admin' } })).status).toBe(200);
    expect((await request(server, '/api/v1/guarded/scope', { headers: { 'x-test-user': 'admin' } })).status).toBe(403);
  });

  it('unsafe methods run verifyUnsafe before validation and the handler', async () => {
    calls.length = 0;
    const refused = await request(server, '/api/v1/guarded/write', {
      method: 'POST',
      json: { wrong: 1 },
      headers: { 'x-test-user': 'user' },
    });
    expect(refused.status).toBe(403);
    expect(refused.json().error.code).toBe('csrf_failed');
    expect(calls).toEqual(['verifyUnsafe']);
    const invalid = await request(server, '/api/v1/guarded/write', {
      method: 'POST',
      json: { wrong: 1 },
      headers: { 'x-test-user': 'user', 'x-csrf-token': 'ok' },
    });
    expect(invalid.status).toBe(400);
    const ok = await request(server, '/api/v1/guarded/write', {
      method: 'POST',
      json: { title: 't' },
      headers: { 'x-test-user': 'user', 'x-csrf-token': 'ok' },
    });
    expect(ok.status).toBe(201);
    expect(calls).toEqual(['verifyUnsafe', 'verifyUnsafe', 'verifyUnsafe', 'handler']);
  });
});
