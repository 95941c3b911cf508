/**
 * Express 5 adapter: mounts the neutral route table. Express only matches paths and parses bodies here; auth,
 * validation, limits and errors are the route runner's (src/core/route-runner.ts), so behaviour is the same
 * on every framework.
 */
import type { RequestListener } from 'node:http';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { bodyKind, bodyTooLarge, isJsonType, malformedBody, mediaType, unsupportedMediaType } from './core/body.js';
import { HttpError } from './core/errors.js';
import { writeReply } from './core/reply.js';
import { notFound, runRoute, toErrorResponse } from './core/route-runner.js';
import type { AppContext, RouteDef } from './core/types.js';

/** body-parser's error types → the neutral errors. */
function bodyError(err: unknown): unknown {
  const type = (err as { type?: string } | null)?.type;
  if (type === 'entity.parse.failed') return malformedBody();
  if (type === 'entity.too.large') return bodyTooLarge();
  if (type === 'encoding.unsupported' || type === 'charset.unsupported')
    return new HttpError(415, 'unsupported_media_type', 'Unsupported body encoding');
  if (type === 'request.aborted' || type === 'request.size.invalid' || type === 'stream.encoding.set')
    return new HttpError(400, 'bad_request', 'Malformed request body');
  return err;
}

export async function createFrameworkListener(app: AppContext, routes: readonly RouteDef[]): Promise<RequestListener> {
  const limit = app.settings.BODY_LIMIT_BYTES;
  const server = express();
  server.disable('x-powered-by');
  server.disable('etag');
  // The route runner parses the query string itself (the same way on every framework).
  server.set('query parser', false);

  const json = express.json({ limit, strict: true, type: (req) => isJsonType(mediaType(req.headers)) });
  const form = express.urlencoded({
    limit,
    extended: false,
    parameterLimit: 100,
    type: 'application/x-www-form-urlencoded',
  });

  for (const route of routes) {
    const steps: RequestHandler[] = [];
    if (bodyKind(route) === 'json') {
      steps.push((req, _res, next) => next(unsupportedMediaType(route, req.headers) ?? undefined), json);
      if (route.form) steps.push(form);
    }
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    server[method](route.path, ...steps, (req: Request, res: Response, next: NextFunction) => {
      runRoute(route, { params: { ...req.params } as Record<string, string>, body: req.body }, req, app).then(
        (reply) => writeReply(res, reply),
        next,
      );
    });
  }

  server.use((req: Request, res: Response) => writeReply(res, notFound(req)));
  server.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    writeReply(res, toErrorResponse(bodyError(err), req, app));
  });
  return server as unknown as RequestListener;
}
