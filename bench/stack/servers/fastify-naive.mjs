// (b) Fastify 5 with its standard security plugins, configured as their READMEs suggest: @fastify/helmet,
// @fastify/cors (an allowlist), @fastify/rate-limit (in memory), @fastify/under-pressure, and Fastify's own
// pino logger (one line when a request arrives, one when it completes) writing to stdout (a file here).
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import Fastify from 'fastify';
import { authorized, CORS_ORIGINS, HEALTH, ITEMS, listening, PORT, RATE_LIMIT, UNAUTHORIZED } from './common.mjs';

const app = Fastify({ logger: { level: 'info' }, trustProxy: 1 });
await app.register(helmet);
await app.register(cors, { origin: CORS_ORIGINS });
await app.register(rateLimit, { max: RATE_LIMIT, timeWindow: '1 minute' });
await app.register(underPressure, { maxEventLoopDelay: 200, retryAfter: 2 });
app.get('/health', async () => HEALTH);
app.get('/api/v1/items', async (request, reply) => {
  if (!authorized(request.headers.authorization)) return reply.code(401).send(UNAUTHORIZED);
  return ITEMS;
});
await app.listen({ port: PORT, host: '127.0.0.1' });
listening('fastify-naive');
