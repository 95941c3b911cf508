// (a) Bare Hono 4 on @hono/node-server: no middleware.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { authorized, HEALTH, ITEMS, listening, PORT, UNAUTHORIZED } from './common.mjs';

const app = new Hono();
app.get('/health', (c) => c.json(HEALTH));
app.get('/api/v1/items', (c) => (authorized(c.req.header('authorization')) ? c.json(ITEMS) : c.json(UNAUTHORIZED, 401)));
serve({ fetch: app.fetch, port: PORT, hostname: '127.0.0.1' }, () => listening('hono-bare'));
