/**
 * C12 with REDIS_URL over real HTTP: instances share rate-limit counts through Redis; when Redis goes away the
 * API keeps answering (limits per instance, /ready 503, shared state 503) and recovers when Redis returns.
 * Needs Redis (TEST_REDIS_URL, default redis://127.0.0.1:6379); skipped when unreachable, except under CI.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FreshDatabase, freshDatabase } from './helpers/database.js';
import { type RedisProxy, redisAvailable, redisUrl, startProxy } from './helpers/redis.js';
import { request, startServer, type TestServer } from './helpers/server.js';

const available = await redisAvailable();
const prefix = () => `test:${randomBytes(6).toString('hex')}:`;

async function until(check: () => Promise<boolean>, ms = 8_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!available)('C12 two instances sharing Redis share rate-limit counts', () => {
  let db: FreshDatabase;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    db = await freshDatabase();
    const env = { ...db.env, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix(), RATE_LIMIT_PER_MINUTE: '4' };
    a = await startServer(env);
    b = await startServer(env);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it('counts requests to either instance in one window', async () => {
    const remaining: string[] = [];
    for (const server of [a, b, a, b]) {
      const res = await request(server, '/api/v1/nothing-here');
      expect(res.status).toBe(404);
      remaining.push(String(res.headers['ratelimit-remaining']));
    }
    expect(remaining).toEqual(['3', '2', '1', '0']);
    const fifth = await request(a, '/api/v1/nothing-here');
    expect(fifth.status).toBe(429);
    expect(Number(fifth.headers['retry-after'])).toBeGreaterThan(0);
    expect((await request(b, '/api/v1/nothing-here')).status).toBe(429);
  });

  it('reports ready while Redis answers', async () => {
    expect((await request(a, '/ready')).status).toBe(200);
  });
});

describe.skipIf(!available)('C12 when Redis goes away and comes back', () => {
  let db: FreshDatabase;
  let proxy: RedisProxy;
  let server: TestServer;
  let other: TestServer;
  beforeAll(async () => {
    db = await freshDatabase();
    proxy = await startProxy();
    const env = { ...db.env, REDIS_URL: proxy.url, REDIS_KEY_PREFIX: prefix(), RATE_LIMIT_PER_MINUTE: '6' };
    server = await startServer(env);
    other = await startServer({ ...env, REDIS_URL: redisUrl });
  });
  afterAll(async () => {
    await server?.close();
    await other?.close();
    await proxy?.close();
    await db?.drop();
  });

  it('keeps answering and limiting per instance, reports not ready, then shares counts again', async () => {
    const hit = (s: TestServer) => request(s, '/api/v1/nothing-here');
    expect((await hit(server)).headers['ratelimit-remaining']).toBe('5');
    expect((await hit(other)).headers['ratelimit-remaining']).toBe('4');

    await proxy.stop();
    await until(async () => (await request(server, '/ready')).status === 503);
    // Fail open to a local counter: no 500s, and the limit still applies on this instance.
    const during: number[] = [];
    for (let i = 0; i < 8; i++) during.push((await hit(server)).status);
    expect(during.slice(0, 6)).toEqual([404, 404, 404, 404, 404, 404]);
    expect(during.slice(6)).toEqual([429, 429]);
    expect(server.logs.filter((l) => l.includes('"redis_unavailable"'))).toHaveLength(1);
    // Shared state (tickets, revocations, sessions) is refused with 503 rather than kept in local memory only.
    await expect(server.app.store.set('probe', '1', 1000)).rejects.toMatchObject({ status: 503 });
    await expect(server.app.store.get('revoked:probe')).rejects.toMatchObject({ status: 503 });

    await proxy.resume();
    await until(async () => (await request(server, '/ready')).status === 200);
    expect(server.logs.some((l) => l.includes('"redis_recovered"'))).toBe(true);
    // Back on the shared counter: the other instance's hit and this one's continue in Redis.
    expect((await hit(server)).headers['ratelimit-remaining']).toBe('3');
    // The URL (it may hold a password) never reaches the log.
    expect(server.logs.join('\n')).not.toContain(proxy.url);
  });
});

describe.skipIf(!available)('C12 boot while Redis is unreachable', () => {
  it('starts, answers /ready 503 and /health 200, and connects once Redis is there', async () => {
    const db = await freshDatabase();
    const proxy = await startProxy();
    await proxy.stop();
    const server = await startServer({ ...db.env, REDIS_URL: proxy.url, REDIS_KEY_PREFIX: prefix() });
    try {
      expect((await request(server, '/health')).status).toBe(200);
      expect((await request(server, '/ready')).status).toBe(503);
      expect((await request(server, '/api/v1/nothing-here')).status).toBe(404);
      await proxy.resume();
      await until(async () => (await request(server, '/ready')).status === 200);
    } finally {
      await server.close();
      await proxy.close();
      await db.drop();
    }
  });
});
