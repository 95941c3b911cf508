// (a) Bare Fastify 5: no plugins, no logger. With BENCH_FLOOR=1, the floor: wrapped in withFloor (common.mjs).
import http from 'node:http';
import Fastify from 'fastify';
import { authorized, FLOOR, HEALTH, ITEMS, listening, PORT, UNAUTHORIZED, withFloor } from './common.mjs';

const app = Fastify({ logger: false, ...(FLOOR ? { serverFactory: (handler) => http.createServer(withFloor(handler)) } : {}) });
app.get('/health', async () => HEALTH);
app.get('/api/v1/items', async (request, reply) => {
  if (!authorized(request.headers.authorization)) return reply.code(401).send(UNAUTHORIZED);
  return ITEMS;
});
await app.listen({ port: PORT, host: '127.0.0.1' });
listening(FLOOR ? 'fastify-floor' : 'fastify-bare');
