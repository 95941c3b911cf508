/**
 * Auth style `none`: every caller is the same anonymous principal; there are no auth, user or admin routes,
 * and admin-only routes stay closed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteDef } from '../src/core/types.js';
import { type FreshDatabase, freshDatabase } from './helpers/database.js';
import { request, startServer, type TestServer } from './helpers/server.js';

const probes: RouteDef[] = [
  { method: 'GET', path: '/api/v1/probe/any', auth: true, handler: async (req) => ({ body: req.principal }) },
  {
    method: 'POST',
    path: '/api/v1/probe/write',
    auth: { scope: 'items:write' },
    handler: async (req) => ({ body: req.principal }),
  },
  { method: 'GET', path: '/api/v1/probe/admin', auth: { role: 'admin' }, handler: async () => ({ body: {} }) },
];

let fresh: FreshDatabase;
let server: TestServer;

beforeAll(async () => {
  fresh = await freshDatabase();
  server = await startServer({ ...fresh.env, MAX_EVENT_LOOP_DELAY_MS: '60000' }, { extraRoutes: probes });
});
afterAll(async () => {
  await server?.close();
  await fresh?.drop();
});

describe('C08 auth none: public resource routes, no auth routes', () => {
  it('lets anyone through as the anonymous principal, whatever credentials they send', async () => {
    const sent: Record<string, string>[] = [{}, { authorization: 'Bearer whatever' }, { cookie: '__Host-sid=x' }];
    for (const headers of sent) {
      const res = await request(server, '/api/v1/probe/any', { headers });
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({ id: 'anonymous', kind: 'anonymous', role: 'user' });
    }
    expect((await request(server, '/api/v1/probe/write', { method: 'POST' })).status).toBe(200);
  });

  it('keeps admin-only routes closed (403)', async () => {
    expect((await request(server, '/api/v1/probe/admin')).status).toBe(403);
  });

  it('has no auth, user or admin routes', async () => {
    for (const [method, path] of [
      ['POST', '/api/v1/auth/token'],
      ['POST', '/api/v1/auth/login'],
      ['POST', '/api/v1/auth/register'],
      ['POST', '/api/v1/auth/logout'],
      ['GET', '/api/v1/users/me'],
      ['GET', '/api/v1/admin/users'],
    ]) {
      expect(
        (await request(server, path as string, { method, json: method === 'POST' ? {} : undefined })).status,
        path,
      ).toBe(404);
    }
  });
});
