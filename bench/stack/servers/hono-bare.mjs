// (a) Bare Hono 4 on @hono/node-server: no middleware. With BENCH_FLOOR=1, the floor: wrapped in withFloor.
import http from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { authorized, FLOOR, HEALTH, ITEMS, listening, PORT, UNAUTHORIZED, withFloor } from './common.mjs';

const app = new Hono();
app.get('/health', (c) => c.json(HEALTH));
app.get('/api/v1/items', (c) => (authorized(c.req.header('authorization')) ? c.json(ITEMS) : c.json(UNAUTHORIZED, 401)));
const listener = getRequestListener(app.fetch);
http.createServer(FLOOR ? withFloor(listener) : listener).listen(PORT, '127.0.0.1', () => listening(FLOOR ? 'hono-floor' : 'hono-bare'));
