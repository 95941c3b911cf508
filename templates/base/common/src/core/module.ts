/**
 * The core unit: the settings every project has, liveness and readiness (C33). The edge controls themselves
 * (headers, hosts, CORS, limits) are built by `create-server.ts` from these settings, before any module runs.
 */
import { z } from 'zod';
import { HttpError } from './errors.js';
import { int, list, port } from './settings.js';
import type { AppContext, Module } from './types.js';

const origin = z.string().refine(
  (value) => {
    if (value === '*' || value === 'null') return false;
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value.replace(/\/$/, '');
    } catch {
      return false;
    }
  },
  { message: 'every entry must be an origin like https://app.example.com (`*` is refused)' },
);

export const settings = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Host names this server answers to (C19); the port is ignored. Required explicitly in production. */
  ALLOWED_HOSTS: list()
    .pipe(z.array(z.string().regex(/^(\*\.)?[a-z0-9.:[\]-]+$/i, { message: 'entries must be host names' })).min(1))
    .transform((hosts) => hosts.map((host) => host.toLowerCase()))
    .default(['localhost', '127.0.0.1']),
  /** Origins allowed to call the API from a browser (C01). Empty: no cross-origin access. */
  CORS_ORIGINS: list()
    .pipe(z.array(origin))
    .transform((origins) => origins.map((o) => o.replace(/\/$/, '').toLowerCase()))
    .default([]),
  /** How many proxies in front of the app append to X-Forwarded-For (C34): 1 on Heroku. */
  TRUST_PROXY_HOPS: int(0, 10).default(0),
  RATE_LIMIT_PER_MINUTE: int(1, 1_000_000).default(100),
  LOGIN_RATE_LIMIT_PER_MINUTE: int(1, 1000).default(5),
  BODY_LIMIT_BYTES: int(1024, 100 * 1024 * 1024).default(102_400),
  HEADERS_TIMEOUT_MS: int(100, 120_000).default(10_000),
  REQUEST_BODY_TIMEOUT_MS: int(100, 600_000).default(20_000),
  REQUEST_TIMEOUT_MS: int(100, 600_000).default(15_000),
  MAX_CONCURRENT_REQUESTS: int(1, 100_000).default(100),
  MAX_EVENT_LOOP_DELAY_MS: int(10, 60_000).default(200),
};

const HEALTH = Object.freeze({ status: 'ok' });

async function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`readiness check over ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function ready(app: AppContext): Promise<void> {
  const checks = (app.modules ?? []).filter((m) => m.ready !== undefined);
  const results = await Promise.allSettled(checks.map((m) => withTimeout(m.ready!(app), 1000)));
  const failed = results.flatMap((result, i) => (result.status === 'rejected' ? [checks[i]!.name] : []));
  if (failed.length > 0) {
    // Which dependency is down goes to the log, not to the (public) response.
    app.log.warn({ event: 'not_ready', modules: failed }, 'readiness check failed');
    throw new HttpError(503, 'unavailable', 'Service unavailable', { headers: { 'Retry-After': '5' } });
  }
}

export const module: Module = {
  name: 'core',
  checklist: ['C01', 'C12', 'C13', 'C14', 'C15', 'C19', 'C20', 'C21', 'C23', 'C27', 'C33', 'C34', 'C35'],
  productionIssues(s, env) {
    const issues: string[] = [];
    if (!env.ALLOWED_HOSTS) issues.push("ALLOWED_HOSTS: is required in production (your app's host names)");
    if (s.LOG_LEVEL === 'trace') issues.push('LOG_LEVEL: trace is not allowed in production');
    if (s.HEADERS_TIMEOUT_MS > s.REQUEST_BODY_TIMEOUT_MS)
      issues.push('HEADERS_TIMEOUT_MS: must not exceed REQUEST_BODY_TIMEOUT_MS');
    return issues;
  },
  routes: () => [
    {
      method: 'GET',
      path: '/health',
      auth: false,
      summary: 'Liveness: the process answers',
      tag: 'health',
      handler: async () => ({ body: HEALTH }),
    },
    {
      method: 'GET',
      path: '/ready',
      auth: false,
      summary: 'Readiness: every dependency answers within a second',
      tag: 'health',
      handler: async (_req, app) => {
        await ready(app);
        return { body: HEALTH };
      },
    },
  ],
};
