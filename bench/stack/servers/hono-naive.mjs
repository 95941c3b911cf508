// (b) Hono 4 with its own middleware: secureHeaders, cors (an allowlist), logger (two text lines per
// request through console.log, to stdout: a file here), and hono-rate-limiter (in memory, keyed on the
// client address from X-Forwarded-For, as its README shows behind a proxy).
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { logger } from 'hono/logger';
import { secureHeaders } from 'hono/secure-headers';
import { rateLimiter } from 'hono-rate-limiter';
import { authorized, CORS_ORIGINS, HEALTH, ITEMS, listening, PORT, RATE_LIMIT, UNAUTHORIZED } from './common.mjs';

const app = new Hono();
app.use(logger());
app.use(secureHeaders());
app.use(cors({ origin: CORS_ORIGINS }));
app.use(
  rateLimiter({
    windowMs: 60_000,
    limit: RATE_LIMIT,
    standardHeaders: 'draft-6',
    keyGenerator: (c) => c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim() ?? 'unknown',
  }),
);
app.get('/health', (c) => c.json(HEALTH));
app.get('/api/v1/items', (c) => (authorized(c.req.header('authorization')) ? c.json(ITEMS) : c.json(UNAUTHORIZED, 401)));
serve({ fetch: app.fetch, port: PORT, hostname: '127.0.0.1' }, () => listening('hono-naive'));
