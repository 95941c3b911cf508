/**
 * Runs a neutral route the same way on every framework (C03, C08, C12, C15, C18, C23): the framework only
 * matches the path and reads the body; everything a route's security depends on happens here, in one order:
 *
 *   auth (401/403) → verifyUnsafe (CSRF) → validation of params, query, body (400) → login limiter (429) →
 *   handler, raced against REQUEST_TIMEOUT_MS (504)
 */
import type { IncomingMessage } from 'node:http';
import type { ZodType } from 'zod';
import { clientKey } from './edge/client-ip.js';
import { errorBody, type FieldError, HttpError } from './errors.js';
import type { ApiRequest, ApiResponse, AppContext, Principal, RouteDef } from './types.js';

/** What an adapter writes: JSON `body` unless `stream` is set. */
export interface Reply {
  status: number;
  headers: Record<string, string | string[]>;
  body?: unknown;
  stream?: ApiResponse['stream'];
}

/** The input an adapter hands over: the framework's path params and parsed body. */
export interface RouteInput {
  params: Record<string, string>;
  body: unknown;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const LOGIN_WINDOW_MS = 60_000;

/** Query string → object; a repeated key becomes an array. Parsed here so every framework agrees. */
export function parseQuery(url: string | undefined): Record<string, string | string[]> {
  const q = url?.indexOf('?') ?? -1;
  const query: Record<string, string | string[]> = {};
  if (q === -1) return query;
  for (const [key, value] of new URLSearchParams(url!.slice(q + 1))) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    const prev = query[key];
    query[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return query;
}

function validate(schema: ZodType | undefined, value: unknown, where: string, fields: FieldError[]): unknown {
  if (schema === undefined) return value;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      // Mass assignment (C03): every unknown key is named on its own.
      for (const key of issue.keys) {
        fields.push({ path: [where, ...issue.path, key].join('.'), message: 'Unknown field' });
      }
    } else {
      fields.push({ path: [where, ...issue.path].join('.'), message: issue.message });
    }
  }
  return undefined;
}

async function authenticate(route: RouteDef, req: IncomingMessage, app: AppContext): Promise<Principal | null> {
  if (route.auth === false) return null;
  const principal = await app.auth.authenticate(req);
  if (principal === null) {
    app.log.warn({ event: 'auth_failed', reqId: req.edge.id, ip: req.edge.ip, route: route.path }, 'unauthenticated');
    const headers: Record<string, string> = app.auth.challenge ? { 'WWW-Authenticate': app.auth.challenge } : {};
    throw new HttpError(401, 'unauthorized', 'Authentication required', { headers });
  }
  req.edge.principalId = principal.id;
  const rule = route.auth;
  const allowed =
    rule === true ||
    ('role' in rule && (principal.role === rule.role || principal.scopes.includes(rule.role))) ||
    ('scope' in rule && principal.scopes.includes(rule.scope));
  if (!allowed) {
    app.log.warn({ event: 'forbidden', reqId: req.edge.id, principalId: principal.id, route: route.path }, 'forbidden');
    throw new HttpError(403, 'forbidden', 'Not allowed');
  }
  return principal;
}

/** Stricter limit for login-like routes (C12): per client IP and per account, whichever trips first. */
async function loginLimit(req: IncomingMessage, body: unknown, app: AppContext): Promise<void> {
  const limit = app.settings.LOGIN_RATE_LIMIT_PER_MINUTE;
  const keys = [`login:ip:${clientKey(req.edge.ip)}`];
  const fields = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const account = fields.username ?? fields.email;
  if (typeof account === 'string' && account !== '') keys.push(`login:acct:${account.trim().toLowerCase()}`);
  const hits = await Promise.all(keys.map((key) => app.store.hit(key, LOGIN_WINDOW_MS)));
  const over = hits.filter((hit) => hit.count > limit);
  if (over.length === 0) return;
  const resetAt = Math.max(...over.map((hit) => hit.resetAt));
  const retry = String(Math.max(1, Math.ceil((resetAt - Date.now()) / 1000)));
  app.log.warn({ event: 'login_rate_limited', reqId: req.edge.id, ip: req.edge.ip }, 'login rate limited');
  throw new HttpError(429, 'rate_limited', 'Too many attempts, try again later', {
    headers: {
      'Retry-After': retry,
      'RateLimit-Limit': String(limit),
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': retry,
    },
  });
}

/** Run the handler against the per-request deadline; the signal also fires when the client goes away. */
async function withDeadline(
  route: RouteDef,
  request: ApiRequest,
  controller: AbortController,
  app: AppContext,
): Promise<ApiResponse> {
  const ms = app.settings.REQUEST_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(new Error('request deadline passed'));
      reject(new HttpError(504, 'timeout', 'The request took too long'));
    }, ms);
  });
  // The connection dropping means nobody will read the answer: let the handler stop its work.
  const onClose = (): void => controller.abort(new Error('client closed the connection'));
  const socket = request.raw.socket;
  socket.once('close', onClose);
  try {
    return await Promise.race([route.handler(request, app), deadline]);
  } finally {
    clearTimeout(timer);
    socket.off('close', onClose);
  }
}

/** The whole per-route chain; returns what the adapter must write. Never throws: errors become a Reply. */
export async function runRoute(
  route: RouteDef,
  input: RouteInput,
  req: IncomingMessage,
  app: AppContext,
): Promise<Reply> {
  req.edge.route = route.path;
  try {
    const principal = await authenticate(route, req, app);
    if (principal !== null && UNSAFE.has(route.method) && app.auth.verifyUnsafe) {
      await app.auth.verifyUnsafe(req, principal);
    }
    const schema = route.schema;
    let params: unknown = input.params;
    let query: unknown;
    let body: unknown = input.body;
    if (schema !== undefined) {
      const fields: FieldError[] = [];
      params = validate(schema.params, input.params, 'params', fields);
      query = validate(schema.query, parseQuery(req.url), 'query', fields);
      body = validate(schema.body, input.body, 'body', fields);
      if (fields.length > 0) throw new HttpError(400, 'validation_failed', 'Invalid request', { fields });
    } else {
      query = parseQuery(req.url);
    }
    if (route.rateLimit === 'login') await loginLimit(req, body, app);

    const controller = new AbortController();
    const request: ApiRequest = {
      method: route.method,
      path: req.edge.path,
      headers: req.headers,
      params: params as Record<string, string>,
      query: query as Record<string, unknown>,
      body,
      ip: req.edge.ip,
      id: req.edge.id,
      principal,
      signal: controller.signal,
      raw: req,
    };
    const result = await withDeadline(route, request, controller, app);
    return {
      status: result.status ?? (result.body === undefined && !result.stream ? 204 : 200),
      headers: result.headers ?? {},
      body: result.body,
      stream: result.stream,
    };
  } catch (err) {
    return toErrorResponse(err, req, app);
  }
}

/**
 * Any error → the one error shape (C23). HttpErrors are meant for the client; anything else is a bug or an
 * outage: logged with its stack, answered with a generic 500 and the request id to quote in a support request.
 */
export function toErrorResponse(err: unknown, req: IncomingMessage, app: AppContext): Reply {
  const id = req.edge?.id ?? 'unknown';
  if (err instanceof HttpError) {
    const body: Record<string, unknown> = errorBody(err.code, err.message, id, err.fields ?? undefined);
    if (err.extra) for (const key of Object.keys(err.extra)) if (key !== 'error') body[key] = err.extra[key];
    return { status: err.status, headers: { ...err.headers }, body };
  }
  app.log.error({ err, reqId: id, route: req.edge?.route }, 'unhandled error');
  return { status: 500, headers: {}, body: errorBody('internal', 'Internal server error', id) };
}

export function notFound(req: IncomingMessage): Reply {
  return { status: 404, headers: {}, body: errorBody('not_found', 'Not found', req.edge?.id ?? 'unknown') };
}
