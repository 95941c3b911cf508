#!/usr/bin/env node
// The baseline of bench/db/run.mjs: `GET /api/v1/items` and `POST /api/v1/items` written by hand on Fastify
// (the same version as the generated projects) with the bare driver and prepared statements (lib/drivers.mjs).
// Same table, same rows, same SQL, same response shape, no auth (compared with an auth-`none` project). It logs
// one pino line per request to a file, like the generated server; it has none of the generated edge (security
// headers, host check, rate limit, backpressure), no zod and no HTML sanitising: the gap is the whole price of
// the generated stack on a database route.
//
// env: ENGINE, DATABASE_URL, PORT, LOG_FILE, OWNER
import { randomUUID } from 'node:crypto';
import { appRequire } from './lib/common.mjs';
import { intParam, openBare, toItem } from './lib/drivers.mjs';

const Fastify = appRequire('fastify');
const pino = appRequire('pino');

const OWNER = process.env.OWNER ?? 'anonymous';
const db = await openBare(process.env.ENGINE, process.env.DATABASE_URL, { poolMax: 10 });
const logger = pino({ base: undefined }, pino.destination({ dest: process.env.LOG_FILE, sync: false, minLength: 4096 }));
// disableRequestLogging: Fastify's two lines per request are replaced by one, like the generated server's.
const app = Fastify({ loggerInstance: logger, disableRequestLogging: true });

app.addHook('onResponse', (req, reply, done) => {
  req.log.info({ method: req.method, url: req.routeOptions.url, status: reply.statusCode, ms: reply.elapsedTime }, 'request');
  done();
});

app.get('/health', async () => ({ status: 'ok' }));

app.get('/api/v1/items', async function listItemsRoute(req, reply) {
  const limit = intParam(req.query.limit, 20, 1, 100);
  const offset = intParam(req.query.offset, 0, 0, 1_000_000);
  if (limit === null || offset === null) return reply.code(400).send({ error: 'bad pagination' });
  const { rows, total } = await db.list(OWNER, limit, offset);
  return { data: rows.map(toItem), limit, offset, total };
});

app.post('/api/v1/items', async function createItemRoute(req, reply) {
  const body = req.body;
  if (typeof body?.title !== 'string' || body.title.length < 1 || body.title.length > 200) {
    return reply.code(400).send({ error: 'bad title' });
  }
  const now = new Date().toISOString();
  const row = { id: randomUUID(), owner_id: OWNER, title: body.title, description: body.description ?? null, created_at: now, updated_at: now };
  await db.insert(row);
  return reply.code(201).header('location', `/api/v1/items/${row.id}`).send(toItem(row));
});

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });

process.on('SIGTERM', async () => {
  await app.close();
  await db.close();
  logger.flush();
  process.exit(0);
});
