import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreTestRoutes, nobody } from './helpers/core-routes.js';
import { request, startServer, type TestResponse, type TestServer } from './helpers/server.js';

const EXPECTED: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-xss-protection': '0',
};

function expectSecurityHeaders(res: TestResponse, label: string, production = false): void {
  for (const [name, value] of Object.entries(EXPECTED)) expect(res.headers[name], `${label}: ${name}`).toBe(value);
  expect(res.headers['permissions-policy'], label).toMatch(/camera=\(\)/);
  expect(res.headers['permissions-policy'], label).toMatch(/geolocation=\(\)/);
  expect(res.headers['x-request-id'], label).toMatch(/^[\w.:-]{8,}$/);
  expect(res.headers['x-powered-by'], label).toBeUndefined();
  if (production) expect(res.headers['strict-transport-security'], label).toBe('max-age=31536000; includeSubDomains');
  else expect(res.headers['strict-transport-security'], label).toBeUndefined();
}

describe('C20 security headers on every response', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ RATE_LIMIT_PER_MINUTE: '30' }, { extraRoutes: coreTestRoutes });
    server.app.auth = nobody;
  });
  afterAll(() => server.close());

  it('200, 400, 401, 404, 413, 415, 500 and a foreign-host 400 all carry them', async () => {
    const cases: Array<[string, Promise<TestResponse>, number]> = [
      ['200', request(server, '/health'), 200],
      ['200 api', request(server, '/api/v1/things/1'), 200],
      ['400 validation', request(server, '/api/v1/echo', { method: 'POST', json: { nope: 1 } }), 400],
      [
        '400 malformed',
        request(server, '/api/v1/echo', { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } }),
        400,
      ],
      ['401', request(server, '/api/v1/private'), 401],
      ['404', request(server, '/nope'), 404],
      ['404 api', request(server, '/api/v1/nope'), 404],
      ['413', request(server, '/api/v1/echo', { method: 'POST', json: { pad: 'x'.repeat(200_000) } }), 413],
      [
        '415',
        request(server, '/api/v1/echo', { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } }),
        415,
      ],
      ['500', request(server, '/api/v1/boom'), 500],
      ['400 host', request(server, '/health', { headers: { host: 'evil.example' } }), 400],
    ];
    for (const [label, pending, status] of cases) {
      const res = await pending;
      expect(res.status, label).toBe(status);
      expectSecurityHeaders(res, label);
    }
  });

  it('/api responses are not cacheable; HEAD and OPTIONS carry the headers too', async () => {
    expect((await request(server, '/api/v1/things/1')).headers['cache-control']).toBe('no-store');
    expect((await request(server, '/api/v1/nope')).headers['cache-control']).toBe('no-store');
    expectSecurityHeaders(await request(server, '/health', { method: 'HEAD' }), 'HEAD');
    expectSecurityHeaders(
      await request(server, '/api/v1/echo', {
        method: 'OPTIONS',
        headers: { origin: 'https://x.example', 'access-control-request-method': 'POST' },
      }),
      'preflight',
    );
  });

  it('429 carries them', async () => {
    let res: TestResponse | undefined;
    for (let i = 0; i < 40 && res?.status !== 429; i++) res = await request(server, '/api/v1/things/1');
    expect(res?.status).toBe(429);
    expectSecurityHeaders(res!, '429');
  });

  it('401 names the auth scheme of the auth provider', async () => {
    const res = await request(server, '/api/v1/private');
    expect([401, 429]).toContain(res.status);
    if (res.status === 401) expect(res.headers['www-authenticate']).toBe('Bearer');
  });
});

describe('C20 HSTS in production', () => {
  it('production responses carry Strict-Transport-Security', async () => {
    const server = await startServer(
      { NODE_ENV: 'production', ALLOWED_HOSTS: 'localhost' },
      { extraRoutes: coreTestRoutes },
    );
    try {
      expectSecurityHeaders(await request(server, '/health'), 'prod 200', true);
      expectSecurityHeaders(await request(server, '/nope'), 'prod 404', true);
      expectSecurityHeaders(await request(server, '/api/v1/boom'), 'prod 500', true);
    } finally {
      await server.close();
    }
  });
});
