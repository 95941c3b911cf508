import { afterEach, describe, expect, it } from 'vitest';
import { coreTestRoutes } from './helpers/core-routes.js';
import { request, startServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('C12 global rate limit', () => {
  it('the request over RATE_LIMIT_PER_MINUTE gets 429 with Retry-After and RateLimit headers', async () => {
    server = await startServer({ RATE_LIMIT_PER_MINUTE: '3' }, { extraRoutes: coreTestRoutes });
    for (let i = 0; i < 3; i++) {
      const ok = await request(server, '/api/v1/things/1');
      expect(ok.status).toBe(200);
      expect(ok.headers['ratelimit-limit']).toBe('3');
      expect(ok.headers['ratelimit-remaining']).toBe(String(2 - i));
    }
    const res = await request(server, '/api/v1/things/1');
    expect(res.status).toBe(429);
    expect(res.json().error.code).toBe('rate_limited');
    const retry = Number(res.headers['retry-after']);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    expect(res.headers['ratelimit-remaining']).toBe('0');
    expect(Number(res.headers['ratelimit-reset'])).toBe(retry);
    expect(res.headers['ratelimit-policy']).toBe('3;w=60');
    // One warning per client and window.
    expect(server.logs.filter((l) => l.includes('"event":"rate_limited"'))).toHaveLength(1);
  });

  it('/health and /ready are exempt', async () => {
    server = await startServer({ RATE_LIMIT_PER_MINUTE: '1' });
    for (let i = 0; i < 5; i++) expect((await request(server, '/health')).status).toBe(200);
    expect((await request(server, '/ready')).status).toBe(200);
  });

  it('forged and duplicate X-Forwarded-For headers do not open a new bucket behind one proxy', async () => {
    server = await startServer({ RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY_HOPS: '1' }, { extraRoutes: coreTestRoutes });
    // The proxy appends the real client (203.0.113.7); everything left of it is the client's own invention.
    const real = '203.0.113.7';
    expect((await request(server, '/api/v1/things/1', { headers: { 'x-forwarded-for': real } })).status).toBe(200);
    expect(
      (await request(server, '/api/v1/things/1', { headers: { 'x-forwarded-for': `1.1.1.1, ${real}` } })).status,
    ).toBe(200);
    const forged = await request(server, '/api/v1/things/1', {
      headers: { 'x-forwarded-for': `9.9.9.9, 8.8.8.8, ${real}` },
    });
    expect(forged.status).toBe(429);
    const duplicate = await request(server, '/api/v1/things/1', { headers: { 'x-forwarded-for': ['5.5.5.5', real] } });
    expect(duplicate.status).toBe(429);
    // A different real client has its own bucket.
    expect(
      (await request(server, '/api/v1/things/1', { headers: { 'x-forwarded-for': `${real}, 198.51.100.1` } })).status,
    ).toBe(200);
  });

  it('IPv6 clients are counted per /64', async () => {
    server = await startServer({ RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY_HOPS: '1' }, { extraRoutes: coreTestRoutes });
    const hit = (ip: string) => request(server!, '/api/v1/things/1', { headers: { 'x-forwarded-for': ip } });
    expect((await hit('2001:db8:1:2::1')).status).toBe(200);
    expect((await hit('2001:db8:1:2:ffff::9')).status).toBe(200);
    expect((await hit('2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd')).status).toBe(429);
    expect((await hit('2001:db8:1:3::1')).status).toBe(200);
  });
});

describe('C12 login rate limit', () => {
  it('the 6th login within a minute gets 429, per IP and per account', async () => {
    server = await startServer({ TRUST_PROXY_HOPS: '1' }, { extraRoutes: coreTestRoutes });
    const login = (ip: string, username: string) =>
      request(server!, '/api/v1/login-like', {
        method: 'POST',
        json: { username, password: 'wrong' },
        headers: { 'x-forwarded-for': ip },
      });
    for (let i = 0; i < 5; i++) expect((await login('203.0.113.1', `user${i}@example.com`)).status).toBe(204);
    const sixth = await login('203.0.113.1', 'other@example.com');
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    // Per account: one account from many addresses (case-insensitively) is limited too.
    for (let i = 0; i < 5; i++) expect((await login(`198.51.100.${i + 1}`, 'Victim@Example.com')).status).toBe(204);
    expect((await login('198.51.100.99', 'victim@example.com')).status).toBe(429);
  });
});
