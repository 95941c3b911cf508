/**
 * Fastify 5 adapter: mounts the neutral route table. Fastify is used as a router and body parser only; it is
 * never listened on (the one http.Server belongs to create-server.ts, which runs the edge pipeline and then
 * hands the request to `fastify.routing`), and its own request logging is off: ours logs every request.
 */
import type { RequestListener } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { bodyKind, bodyTooLarge, malformedBody, unsupportedMediaType } from './core/body.js';
import { HttpError } from './core/errors.js';
import { JSON_TYPE, replyText } from './core/reply.js';
import { notFound, parseQuery, type Reply, runRoute, toErrorResponse } from './core/route-runner.js';
import type { AppContext, RouteDef } from './core/types.js';

/** Fastify's own errors → the neutral ones. */
function frameworkError(err: unknown): unknown {
  const code = (err as { code?: string } | null)?.code;
  switch (code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return malformedBody();
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return bodyTooLarge();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpError(415, 'unsupported_media_type', 'Send application/json');
    default: {
      // Other 4xx from Fastify (bad URL, proto poisoning): a client error, described generically.
      const status = (err as { statusCode?: number } | null)?.statusCode;
      if (!(err instanceof HttpError) && typeof status === 'number' && status >= 400 && status < 500)
        return new HttpError(400, 'bad_request', 'Malformed request');
      return err;
    }
  }
}

function send(reply: FastifyReply, result: Reply): FastifyReply {
  reply.code(result.status);
  for (const name in result.headers) reply.header(name, result.headers[name]);
  if (result.stream) return reply.send(result.stream);
  const text = replyText(result);
  if (text === undefined) return reply.send();
  return reply.header('content-type', JSON_TYPE).send(text);
}

function mount(fastify: FastifyInstance, route: RouteDef, app: AppContext): void {
  fastify.route({
    method: route.method,
    url: route.path,
    // Before the body is read: a JSON route refuses other content types with the same 415 everywhere.
    // (Only on JSON routes: a hook costs a little on every request, and GET /health is the hottest path.)
    onRequest:
      bodyKind(route) === 'json'
        ? async (request) => {
            const refused = unsupportedMediaType(route, request.headers);
            if (refused) throw refused;
          }
        : undefined,
    handler: async (request: FastifyRequest, reply: FastifyReply) =>
      send(
        reply,
        await runRoute(
          route,
          { params: request.params as Record<string, string>, body: request.body },
          request.raw,
          app,
        ),
      ),
  });
}

/**
 * Routes are validated by their zod schemas in the route runner, never by Fastify's JSON schemas. Without these
 * stand-ins Fastify builds its default compilers when the instance is created, which loads Ajv and
 * fast-json-stringify: about 12 ms of every cold start, for code that never runs. Fastify calls a factory only
 * for a route with a Fastify schema, which this adapter never mounts.
 */
function noFastifySchemas(): never {
  throw new Error('Fastify schemas are not used here: routes declare zod schemas (src/core/route-runner.ts)');
}

export async function createFrameworkListener(app: AppContext, routes: readonly RouteDef[]): Promise<RequestListener> {
  const fastify = Fastify({
    // No Fastify logger: the core logs one line per request itself (src/core/logger.ts).
    logger: false,
    bodyLimit: app.settings.BODY_LIMIT_BYTES,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // The route runner parses the query string itself, the same way on every framework.
    routerOptions: { querystringParser: () => ({}), maxParamLength: 200 },
    return503OnClosing: false,
    schemaController: { compilersFactory: { buildValidator: noFastifySchemas, buildSerializer: noFastifySchemas } },
  });
  // JSON only by default (no text/plain); form and raw routes get their own encapsulated parsers below.
  fastify.removeContentTypeParser('text/plain');

  // Before any route: Fastify gives each route the error handler of its context at registration time.
  fastify.setNotFoundHandler((request, reply) => {
    send(reply, notFound(request.raw));
  });
  fastify.setErrorHandler((err, request, reply) => {
    send(reply, toErrorResponse(frameworkError(err), request.raw, app));
  });

  const jsonRoutes = routes.filter((r) => bodyKind(r) === 'json' && !r.form);
  const formRoutes = routes.filter((r) => bodyKind(r) === 'json' && r.form);
  const otherRoutes = routes.filter((r) => bodyKind(r) !== 'json');

  for (const route of jsonRoutes) mount(fastify, route, app);
  await fastify.register(async (child) => {
    child.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, text, done) => {
      done(null, parseQuery(`?${text as string}`));
    });
    for (const route of formRoutes) mount(child, route, app);
  });
  await fastify.register(async (child) => {
    // `raw` routes read `req.raw` themselves (multipart); `none` routes never read a body.
    child.removeAllContentTypeParsers();
    child.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    for (const route of otherRoutes) mount(child, route, app);
  });

  await fastify.ready();
  return fastify.routing as RequestListener;
}
