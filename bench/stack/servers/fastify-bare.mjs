// (a) Bare Fastify 5: no plugins, no logger.
import Fastify from 'fastify';
import { authorized, HEALTH, ITEMS, listening, PORT, UNAUTHORIZED } from './common.mjs';

const app = Fastify({ logger: false });
app.get('/health', async () => HEALTH);
app.get('/api/v1/items', async (request, reply) => {
  if (!authorized(request.headers.authorization)) return reply.code(401).send(UNAUTHORIZED);
  return ITEMS;
});
await app.listen({ port: PORT, host: '127.0.0.1' });
listening('fastify-bare');
