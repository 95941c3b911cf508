/**
 * Redis (C12 shared store): with REDIS_URL set, rate-limit counters, revocations, sessions, WebSocket tickets
 * and WAF counters live in Redis, so every instance sees the same counts. Without it the app keeps the core's
 * in-memory store and this module does nothing. Outage behaviour: see failover-store.ts.
 */
import type { Redis, RedisOptions } from 'ioredis';
import { z } from 'zod';
import { bool } from '../core/settings.js';
import { MemoryStore } from '../core/store.js';
import type { AppContext, Module } from '../core/types.js';
import { FailoverStore } from './failover-store.js';
import { RedisStore } from './redis-store.js';

export const settings = {
  /** redis:// or rediss:// (TLS). Heroku Redis sets it. Unset: in-memory stores, one instance only. */
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  /** Prepended to every key, so several apps or environments can share one Redis. */
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'letters, digits and : _ . - only (at most 64)')
    .default('{{projectName}}:'),
  /**
   * Verify the Redis TLS certificate. Heroku Redis presents a self-signed certificate, so Heroku's own docs
   * turn verification off there (app.json sets false); keep true anywhere the server has a real certificate.
   */
  REDIS_TLS_VERIFY: bool().default(true),
};

interface State {
  client: Redis;
  store: FailoverStore;
}

// Keyed by app: tests run several servers in one process, each with its own client.
const states = new WeakMap<AppContext, State>();

const CONNECT_WAIT_MS = 3_000;

function clientOptions(app: AppContext): RedisOptions {
  const url = app.settings.REDIS_URL ?? '';
  return {
    lazyConnect: true,
    // Fail fast instead of queueing while disconnected: a request must not hang on a dead Redis.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1_000,
    connectTimeout: 2_000,
    // Reconnect forever, backing off to 2 s, so the shared store comes back by itself.
    retryStrategy: (times: number) => Math.min(times * 200, 2_000),
    ...(url.startsWith('rediss:') ? { tls: { rejectUnauthorized: app.settings.REDIS_TLS_VERIFY } } : {}),
  };
}

export const module: Module = {
  name: 'redis',
  checklist: ['C12'],

  async init(app) {
    const url = app.settings.REDIS_URL;
    if (!url) return;
    // Loaded only when configured: an app without REDIS_URL does not pay for the client at every start.
    const { Redis } = await import('ioredis');
    const client = new Redis(url, clientOptions(app));
    const fallback = app.store instanceof MemoryStore ? app.store : new MemoryStore();
    const store = new FailoverStore(
      new RedisStore(client, app.settings.REDIS_KEY_PREFIX),
      fallback,
      { up: () => client.status === 'ready' },
      app.log,
    );
    // Without an 'error' listener ioredis prints every reconnect failure to stderr; log once per outage instead.
    client.on('error', (err: Error & { code?: string }) => store.failed(err.code ?? err.name));
    client.on('close', () => {
      if (!app.shuttingDown) store.failed('connection_closed');
    });
    client.on('ready', () => store.recovered());

    // Wait briefly for the first connection so the first requests already share counts. If Redis is down at
    // boot the app still starts (degraded, /ready answers 503) and ioredis keeps reconnecting.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), CONNECT_WAIT_MS);
    });
    await Promise.race([client.connect(), timeout])
      .catch((err: Error & { code?: string }) => store.failed(err.code ?? err.message))
      .finally(() => clearTimeout(timer));

    states.set(app, { client, store });
    app.store = store;
  },

  async ready(app) {
    const state = states.get(app);
    if (!state) return;
    // enableOfflineQueue is off, so this rejects at once while disconnected and within commandTimeout otherwise.
    await state.client.ping();
  },

  async close(app) {
    const state = states.get(app);
    if (!state) return;
    states.delete(app);
    await state.store.close();
  },
};
