/**
 * Hono 4 adapter (on @hono/node-server): mounts the neutral route table. Hono matches paths; the body is read
 * here with a size limit; auth, validation, limits and errors are the route runner's, so behaviour is the
 * same on every framework. `c.env.incoming` is the raw Node request the edge pipeline has already seen.
 */
import type { RequestListener } from 'node:http';
import { Readable } from 'node:stream';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { bodyKind, bodyTooLarge, hasBody, malformedBody, mediaType, unsupportedMediaType } from './core/body.js';
import { JSON_TYPE, replyText } from './core/reply.js';
import { notFound, parseQuery, type Reply, runRoute, toErrorResponse } from './core/route-runner.js';
import type { AppContext, RouteDef } from './core/types.js';

type Env = { Bindings: HttpBindings };

function toResponse(result: Reply): Response {
  const headers = new Headers();
  for (const name in result.headers) {
    const value = result.headers[name]!;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  if (result.stream) {
    return new Response(Readable.toWeb(result.stream) as ReadableStream, { status: result.status, headers });
  }
  const text = replyText(result);
  if (text !== undefined) headers.set('content-type', JSON_TYPE);
  return new Response(text ?? null, { status: result.status, headers });
}

async function readBody(c: Context<Env>, route: RouteDef): Promise<unknown> {
  if (bodyKind(route) !== 'json' || !hasBody(c.env.incoming.headers)) return undefined;
  const text = await c.req.text();
  if (route.form && mediaType(c.env.incoming.headers) === 'application/x-www-form-urlencoded') {
    return parseQuery(`?${text}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw malformedBody();
  }
}

export async function createFrameworkListener(app: AppContext, routes: readonly RouteDef[]): Promise<RequestListener> {
  const hono = new Hono<Env>({ strict: true });
  const limit = bodyLimit({
    maxSize: app.settings.BODY_LIMIT_BYTES,
    onError: () => {
      throw bodyTooLarge();
    },
  });

  for (const route of routes) {
    const handler = async (c: Context<Env>) => {
      const body = await readBody(c, route);
      const params = c.req.param() as Record<string, string>;
      return toResponse(await runRoute(route, { params, body }, c.env.incoming, app));
    };
    if (bodyKind(route) === 'json') {
      // Content type first (415 before reading anything), then the size limit, then the route.
      const contentType: MiddlewareHandler<Env> = async (c, next) => {
        const refused = unsupportedMediaType(route, c.env.incoming.headers);
        if (refused) throw refused;
        await next();
      };
      hono.on(route.method, route.path, contentType, limit, handler);
    } else {
      hono.on(route.method, route.path, handler);
    }
  }

  hono.notFound((c) => toResponse(notFound(c.env.incoming)));
  hono.onError((err, c) => toResponse(toErrorResponse(err, c.env.incoming, app)));
  // Default options: node-server swaps in its lightweight Request/Response, which it writes without a stream.
  return getRequestListener(hono.fetch) as RequestListener;
}
