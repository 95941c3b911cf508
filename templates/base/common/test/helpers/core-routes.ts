/**
 * Routes used only by the core's tests: they exercise validation, auth refusal, the 500 path, the request
 * deadline and the login limiter through the same route runner as real routes.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { ApiRequest, AuthProvider, RouteDef } from '../../src/core/types.js';

/**
 * Authenticates nobody, whatever auth unit the project has (auth `none` lets everyone in): tests that need a
 * 401 install it with `server.app.auth = nobody`.
 */
export const nobody: AuthProvider = { authenticate: async () => null, challenge: 'Bearer' };

export const probe = { started: 0, aborted: 0, finished: 0 };

export const coreTestRoutes: RouteDef[] = [
  {
    method: 'POST',
    path: '/api/v1/echo',
    auth: false,
    schema: {
      query: z.object({ page: z.coerce.number().int().min(1).max(100).optional() }).strict(),
      body: z.object({ name: z.string().min(1).max(50), age: z.number().int().min(0) }).strict(),
    },
    handler: async (req: ApiRequest<Record<string, string>, unknown, { name: string; age: number }>) => ({
      status: 201,
      body: { name: req.body.name, age: req.body.age },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/things/:id',
    auth: false,
    schema: { params: z.object({ id: z.string().regex(/^\d+$/) }).strict() },
    handler: async (req) => ({ body: { id: req.params.id } }),
  },
  {
    method: 'GET',
    path: '/api/v1/private',
    auth: true,
    handler: async () => ({ body: { secret: 'never' } }),
  },
  {
    method: 'GET',
    path: '/api/v1/boom',
    auth: false,
    handler: async () => {
      throw new Error('database password is hunter2 at /srv/app/internal.ts');
    },
  },
  {
    method: 'GET',
    path: '/api/v1/slow',
    auth: false,
    handler: async (req) => {
      const ms = Number((req.query as { ms?: string }).ms ?? 1000);
      probe.started += 1;
      try {
        await sleep(ms, undefined, { signal: req.signal });
      } catch {
        probe.aborted += 1;
        throw new Error('aborted');
      }
      probe.finished += 1;
      return { body: { waited: ms } };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/login-like',
    auth: false,
    rateLimit: 'login',
    form: true,
    schema: { body: z.object({ username: z.string().max(200), password: z.string().max(200) }).strict() },
    handler: async () => ({ status: 204 }),
  },
  {
    method: 'GET',
    path: '/api/v1/whoami',
    auth: false,
    handler: async (req) => ({ body: { ip: req.ip } }),
  },
];
