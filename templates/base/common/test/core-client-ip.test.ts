import { afterEach, describe, expect, it } from 'vitest';
import { coreTestRoutes } from './helpers/core-routes.js';
import { request, startServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const whoami = async (s: TestServer, xff?: string | string[]) =>
  (await request(s, '/api/v1/whoami', { headers: xff === undefined ? {} : { 'x-forwarded-for': xff } })).json().ip;

describe('C34 client IP behind trusted proxies', () => {
  it('with no trusted hops, X-Forwarded-For is ignored', async () => {
    server = await startServer({ TRUST_PROXY_HOPS: '0' }, { extraRoutes: coreTestRoutes });
    expect(await whoami(server)).toBe('127.0.0.1');
    expect(await whoami(server, '6.6.6.6')).toBe('127.0.0.1');
  });

  it('with one hop, the rightmost entry is the client; forged entries to its left change nothing', async () => {
    server = await startServer({ TRUST_PROXY_HOPS: '1' }, { extraRoutes: coreTestRoutes });
    expect(await whoami(server, '203.0.113.9')).toBe('203.0.113.9');
    expect(await whoami(server, '6.6.6.6, 203.0.113.9')).toBe('203.0.113.9');
    expect(await whoami(server, ['6.6.6.6', '203.0.113.9'])).toBe('203.0.113.9');
    expect(await whoami(server, '::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(await whoami(server, 'not-an-ip')).toBe('127.0.0.1');
    expect(await whoami(server)).toBe('127.0.0.1');
  });

  it('with two hops, the second entry from the right is the client', async () => {
    server = await startServer({ TRUST_PROXY_HOPS: '2' }, { extraRoutes: coreTestRoutes });
    expect(await whoami(server, '6.6.6.6, 203.0.113.9, 10.0.0.2')).toBe('203.0.113.9');
    expect(await whoami(server, '2001:DB8::1, 10.0.0.2')).toBe('2001:db8::1');
  });
});

describe('C34 HTTPS enforcement in production', () => {
  const env = { NODE_ENV: 'production', TRUST_PROXY_HOPS: '1', ALLOWED_HOSTS: 'api.example.com' };

  it('a GET over http is redirected (308) to https on the same allowed host', async () => {
    server = await startServer(env, { extraRoutes: coreTestRoutes });
    const res = await request(server, '/api/v1/things/1?x=1', {
      headers: { host: 'api.example.com', 'x-forwarded-proto': 'http', 'x-forwarded-for': '203.0.113.9' },
    });
    expect(res.status).toBe(308);
    expect(res.headers.location).toBe('https://api.example.com/api/v1/things/1?x=1');
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('a POST over http is refused; https passes', async () => {
    server = await startServer(env, { extraRoutes: coreTestRoutes });
    const refused = await request(server, '/api/v1/echo', {
      method: 'POST',
      json: { name: 'a', age: 1 },
      headers: { host: 'api.example.com', 'x-forwarded-proto': 'http' },
    });
    expect(refused.status).toBe(400);
    expect(refused.json().error.code).toBe('https_required');
    const ok = await request(server, '/api/v1/things/1', {
      headers: { host: 'api.example.com', 'x-forwarded-proto': 'https' },
    });
    expect(ok.status).toBe(200);
  });

  it('a foreign Host is refused before any redirect is built', async () => {
    server = await startServer(env, { extraRoutes: coreTestRoutes });
    const res = await request(server, '/', { headers: { host: 'evil.example', 'x-forwarded-proto': 'http' } });
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
  });
});
