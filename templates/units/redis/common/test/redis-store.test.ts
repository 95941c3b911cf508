/**
 * C12 shared store: the Redis Store against a real Redis, and what happens when Redis goes away and comes back.
 * Needs Redis (TEST_REDIS_URL, default redis://127.0.0.1:6379). Skipped when unreachable, except under CI,
 * where a missing Redis fails the run instead of hiding these tests.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { HttpError } from '../src/core/errors.js';
import { MemoryStore } from '../src/core/store.js';
import { FailoverStore } from '../src/redis/failover-store.js';
import { RedisStore } from '../src/redis/redis-store.js';
import { redisAvailable, redisUrl, startProxy } from './helpers/redis.js';

const available = await redisAvailable();
const silent = pino({ level: 'silent' });

describe.skipIf(!available)('C12 Redis store', () => {
  const client = new Redis(redisUrl, { lazyConnect: true });
  const prefix = `test:${randomBytes(6).toString('hex')}:`;
  const store = new RedisStore(client, prefix);

  afterAll(async () => {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    await client.quit();
  });

  it('counts hits in a fixed window that ends when the key expires', async () => {
    const first = await store.hit('k1', 1_000);
    const second = await store.hit('k1', 1_000);
    expect(first.count).toBe(1);
    expect(second.count).toBe(2);
    expect(second.resetAt).toBeGreaterThan(Date.now());
    expect(second.resetAt).toBeLessThanOrEqual(Date.now() + 1_000);
    const ttl = await client.pttl(`${prefix}k1`);
    expect(ttl).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await store.hit('k1', 1_000)).count).toBe(1);
  });

  it('two clients (two instances) share one counter', async () => {
    const other = new RedisStore(new Redis(redisUrl), prefix);
    await store.hit('shared', 60_000);
    expect((await other.hit('shared', 60_000)).count).toBe(2);
    await other.close();
  });

  it('take is single use, even under concurrency', async () => {
    await store.set('ticket', 'v', 10_000);
    const results = await Promise.all([store.take('ticket'), store.take('ticket'), store.take('ticket')]);
    expect(results.filter((r) => r === 'v')).toHaveLength(1);
    expect(await store.take('ticket')).toBeNull();
  });

  it('setIfAbsent refuses a second writer; set/get/del round-trip with expiry', async () => {
    expect(await store.setIfAbsent('nonce', '1', 10_000)).toBe(true);
    expect(await store.setIfAbsent('nonce', '2', 10_000)).toBe(false);
    expect(await store.get('nonce')).toBe('1');
    await store.del('nonce');
    expect(await store.get('nonce')).toBeNull();
    await store.set('short', 'x', 50);
    await new Promise((r) => setTimeout(r, 120));
    expect(await store.get('short')).toBeNull();
  });

  it('prefixes every key', async () => {
    await store.set('p', 'x', 10_000);
    expect(await client.get(`${prefix}p`)).toBe('x');
    expect(await client.get('p')).toBeNull();
  });
});

describe.skipIf(!available)('C12 Redis outage: counters fail open to memory, shared state fails closed', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it('keeps limiting locally while Redis is down and uses Redis again when it returns', async () => {
    const proxy = await startProxy();
    const client = new Redis(proxy.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 500,
      retryStrategy: () => 100,
    });
    client.on('error', () => {});
    const prefix = `test:${randomBytes(6).toString('hex')}:`;
    const store = new FailoverStore(
      new RedisStore(client, prefix),
      new MemoryStore(),
      { up: () => client.status === 'ready' },
      silent,
    );
    client.on('ready', () => store.recovered());
    client.on('close', () => store.failed('connection_closed'));
    await client.connect();
    cleanup = async () => {
      client.disconnect();
      await proxy.close();
    };

    expect((await store.hit('ip', 60_000)).count).toBe(1);
    expect((await store.hit('ip', 60_000)).count).toBe(2);

    await proxy.stop();
    await waitFor(() => client.status !== 'ready');
    // Redis gone: the counter goes on in memory (it never throws), and limiting still happens.
    expect((await store.hit('ip', 60_000)).count).toBe(1);
    expect((await store.hit('ip', 60_000)).count).toBe(2);
    expect(store.isDegraded).toBe(true);
    // Shared state refuses with a 503 rather than answering from an empty local store.
    const refused = await store.get('revoked:abc').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).status).toBe(503);
    await expect(store.take('ticket')).rejects.toMatchObject({ status: 503 });

    await proxy.resume();
    await waitFor(() => client.status === 'ready', 5_000);
    expect(store.isDegraded).toBe(false);
    // Back on Redis: the count continues from what Redis held before the outage.
    expect((await store.hit('ip', 60_000)).count).toBe(3);
  });
});

async function waitFor(check: () => boolean, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}
