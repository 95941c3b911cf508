import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { coreTestRoutes } from './helpers/core-routes.js';
import { request, startServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('C23 no internals in error responses', () => {
  for (const NODE_ENV of ['production', 'development']) {
    it(`a forced 500 in ${NODE_ENV} answers a generic body with the request id, no stack or message`, async () => {
      server = await startServer({ NODE_ENV, ALLOWED_HOSTS: 'localhost' }, { extraRoutes: coreTestRoutes });
      const res = await request(server, '/api/v1/boom');
      expect(res.status).toBe(500);
      const body = res.json();
      expect(body).toEqual({
        error: { code: 'internal', message: 'Internal server error', requestId: res.headers['x-request-id'] },
      });
      expect(res.text).not.toMatch(/hunter2|internal\.ts|at |stack/);
      // The detail goes to the log, with the stack, under the same request id.
      await sleep(20);
      const logged = server.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'unhandled error');
      expect(logged?.reqId).toBe(body.error.requestId);
      expect(logged?.err?.stack).toContain('Error');
    });
  }
});
