import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreTestRoutes } from './helpers/core-routes.js';
import { request, startServer, type TestServer } from './helpers/server.js';

const LISTED = 'https://app.example.com';

describe('C01 CORS allowlist', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(
      { CORS_ORIGINS: `${LISTED},https://admin.example.com` },
      { extraRoutes: coreTestRoutes },
    );
  });
  afterAll(() => server.close());

  const preflight = (origin: string) =>
    request(server, '/api/v1/echo', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });

  it('a preflight from a listed origin gets exactly that origin, Vary: Origin, credentials and the allowlists', async () => {
    const res = await preflight(LISTED);
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(LISTED);
    expect(res.headers.vary).toMatch(/Origin/);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-allow-methods']).toContain('POST');
    expect(res.headers['access-control-allow-headers']).toMatch(/Authorization/);
    expect(res.headers['access-control-allow-headers']).toMatch(/X-CSRF-Token/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('a preflight from an unlisted origin gets no Access-Control-Allow-Origin', async () => {
    for (const origin of [
      'https://evil.example',
      'null',
      'https://app.example.com.evil.example',
      'http://app.example.com',
    ]) {
      const res = await preflight(origin);
      expect(res.headers['access-control-allow-origin'], origin).toBeUndefined();
      expect(res.headers['access-control-allow-credentials'], origin).toBeUndefined();
    }
  });

  it('a simple request from a listed origin gets its origin back; an unlisted one gets none', async () => {
    const listed = await request(server, '/health', { headers: { origin: LISTED } });
    expect(listed.headers['access-control-allow-origin']).toBe(LISTED);
    expect(listed.headers['access-control-expose-headers']).toContain('X-Request-Id');
    const unlisted = await request(server, '/health', { headers: { origin: 'https://evil.example' } });
    expect(unlisted.status).toBe(200);
    expect(unlisted.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('CORS_ORIGINS=* is refused at boot', async () => {
    await expect(startServer({ CORS_ORIGINS: '*' })).rejects.toThrow(/CORS_ORIGINS/);
  });
});
