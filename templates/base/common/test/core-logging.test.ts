import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreTestRoutes, nobody } from './helpers/core-routes.js';
import { request, startServer, type TestServer } from './helpers/server.js';

describe('C14 structured request logs', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({}, { extraRoutes: coreTestRoutes });
    server.app.auth = nobody;
  });
  afterAll(() => server.close());

  const lines = () => server.logs.map((l) => JSON.parse(l) as Record<string, unknown>);

  it('one JSON line per request with request id, method, route, path without query, status, ms and ip', async () => {
    const res = await request(server, '/api/v1/things/7?search=private-term', {
      headers: { 'x-request-id': 'trace-abc-123' },
    });
    expect(res.headers['x-request-id']).toBe('trace-abc-123');
    await sleep(20);
    const line = lines().find((l) => l.reqId === 'trace-abc-123');
    expect(line).toMatchObject({
      level: 'info',
      method: 'GET',
      route: '/api/v1/things/:id',
      path: '/api/v1/things/7',
      status: 200,
      ip: '127.0.0.1',
    });
    expect(typeof line?.ms).toBe('number');
    expect(server.logs.join('\n')).not.toContain('private-term');
  });

  it('an unsafe client request id is replaced by a generated one', async () => {
    const res = await request(server, '/health', { headers: { 'x-request-id': 'bad id\twith "quotes"' } });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('credentials never reach the log: Authorization, cookies, API keys, passwords', async () => {
    const secrets = [
      'Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu.sig',
      'sid=cookie-secret-value',
      'sk_live_apikeysecret',
      'Pa55word-in-body',
    ];
    await request(server, '/api/v1/private', {
      headers: { authorization: secrets[0]!, cookie: secrets[1]!, 'x-api-key': secrets[2]! },
    });
    await request(server, '/api/v1/login-like', { method: 'POST', json: { username: 'a@b.c', password: secrets[3] } });
    await request(server, '/api/v1/boom', { headers: { authorization: secrets[0]! } });
    // A module logging a whole header object or body by mistake is still redacted.
    server.app.log.warn(
      { headers: { authorization: secrets[0], cookie: secrets[1] }, body: { password: secrets[3] } },
      'oops',
    );
    await sleep(20);
    const all = server.logs.join('\n');
    expect(all).toContain('[redacted]');
    for (const secret of secrets) expect(all).not.toContain(secret);
    expect(all).not.toContain('c2VjcmV0LXRva2Vu');
  });

  it('authentication failures are logged at warn as security events', async () => {
    await request(server, '/api/v1/private');
    await sleep(20);
    expect(lines().some((l) => l.level === 'warn' && l.event === 'auth_failed')).toBe(true);
  });

  it('slow requests are logged at warn', async () => {
    await request(server, '/api/v1/slow?ms=1100');
    await sleep(20);
    expect(lines().some((l) => l.level === 'warn' && l.event === 'slow_request' && l.route === '/api/v1/slow')).toBe(
      true,
    );
  });
});
