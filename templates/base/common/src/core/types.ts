/**
 * The contracts every part of the generated server is written against.
 *
 * The server is one Node.js `http.Server`. Each request first runs the framework-neutral *edge* pipeline
 * (request id, trusted client IP, security headers, WAF, trusted hosts, HTTPS, CORS, backpressure, rate limit)
 * on the raw `IncomingMessage`/`ServerResponse`, then reaches the framework (Express, Fastify or Hono), which
 * mounts the neutral route table below. So every framework has the same HTTP surface and the same controls,
 * and a blocked request never reaches body parsing, auth or a route.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import type { Settings } from '../registry.js';
import type { Metrics } from './metrics.js';
import type { Store } from './store.js';

/** What the edge learns about a request; attached to the raw request as `req.edge`. */
export interface EdgeInfo {
  /** X-Request-Id: the client's if it is a safe token, otherwise generated. */
  id: string;
  /** Client IP from a fixed number of trusted proxy hops (C34), IPv4-mapped IPv6 normalised. */
  ip: string;
  /** process.hrtime.bigint() at arrival. */
  start: bigint;
  /** The request path without the query string (what logs and exemptions use). */
  path: string;
  /** Route pattern once matched (for metrics and logs), e.g. `/api/v1/items/:id`. */
  route?: string;
  /** Who made the request, once authenticated (for logs). */
  principalId?: string;
}

declare module 'node:http' {
  interface IncomingMessage {
    edge: EdgeInfo;
  }
}

/** A step of the edge pipeline. Returns true when it has answered the request (the pipeline stops). */
export type EdgeStep = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/** The authenticated caller, whatever the auth style. */
export interface Principal {
  id: string;
  kind: 'user' | 'apikey' | 'anonymous';
  role: 'user' | 'admin';
  /** Scopes granted; users get every non-admin scope, admins also `admin`. */
  scopes: string[];
  /** When the credential expires (ms since epoch), for long-lived connections (WebSocket). */
  expiresAt?: number;
  /** The credential's id (JWT `jti`, session id, key id), to notice revocation/logout. */
  credentialId?: string;
}

export interface AuthProvider {
  /** Resolve the caller from the request headers/cookies; null when absent or invalid. Never throws for bad input. */
  authenticate(req: IncomingMessage): Promise<Principal | null>;
  /** Value of `WWW-Authenticate` on 401 (e.g. `Bearer`), or undefined. */
  challenge?: string;
  /** Extra check for unsafe methods (session auth: CSRF token + Origin). Throws HttpError(403) to refuse. */
  verifyUnsafe?(req: IncomingMessage, principal: Principal): Promise<void>;
  /** Is this principal's credential still valid (not revoked, not logged out, not expired)? For WebSockets. */
  stillValid?(principal: Principal): Promise<boolean>;
}

/** Access rule of a route. */
export type RouteAuth = false | true | { role: 'admin' } | { scope: string };

/** The framework-neutral request a route handler sees. */
export interface ApiRequest<P = Record<string, string>, Q = Record<string, unknown>, B = unknown> {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  params: P;
  query: Q;
  body: B;
  ip: string;
  id: string;
  principal: Principal | null;
  /** Aborted when the request deadline (REQUEST_TIMEOUT_MS) passes or the client goes away. */
  signal: AbortSignal;
  raw: IncomingMessage;
}

/** What a handler returns. JSON `body` unless `stream` is set. */
export interface ApiResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string | string[]>;
  stream?: Readable;
}

export interface RouteDef {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Express/Fastify/Hono-compatible pattern with `:param`s, e.g. `/api/v1/items/:id`. */
  path: string;
  auth: RouteAuth;
  /** How the framework reads the body: `json` (JSON; also urlencoded when `form` is set), `raw` (left unread on `raw`, e.g. multipart), `none`. Default `none` for GET/DELETE, `json` otherwise. */
  body?: 'json' | 'raw' | 'none';
  /** Also accept application/x-www-form-urlencoded (OAuth2 token endpoint). */
  form?: boolean;
  schema?: { params?: ZodType; query?: ZodType; body?: ZodType; response?: ZodType };
  /** Stricter per-IP and per-account limit (C12): login, token, register. */
  rateLimit?: 'login';
  /** OpenAPI summary and tag (C02). */
  summary?: string;
  tag?: string;
  /**
   * Declared as a method, so its parameter is checked both ways: a handler typed for what its own schemas
   * produce (`ApiRequest<{ id: string }, ListQuery, CreateItem>`) fits without `any`; an unannotated one gets
   * string params and an unknown query and body (annotate it to read them).
   */
  handler(req: ApiRequest<Record<string, string>, unknown, unknown>, app: AppContext): Promise<ApiResponse>;
}

/** Everything a module needs at run time. Built once at boot by `createServer()`. */
export interface AppContext {
  settings: Settings;
  log: Logger;
  /** Counters and short-lived keys: in memory, or Redis when REDIS_URL is set (redis feature). */
  store: Store;
  metrics: Metrics;
  auth: AuthProvider;
  /** Filled by the database module when there is one. */
  db?: unknown;
  /** The listening server, once created (WebSocket upgrade, shutdown). */
  server?: Server;
  /** Set when SIGTERM arrives; long-lived work (WebSockets, timers) should wind down. */
  shuttingDown: boolean;
  /** The modules of this project in registry order (the core's /ready runs their `ready()`). */
  modules?: readonly Module[];
}

/**
 * A feature of the generated app. `src/registry.ts` (managed by the generator) lists the modules of this
 * project in phase order; `createServer()` runs their hooks in that order.
 */
export interface Module {
  name: string;
  /** Checklist IDs this module implements (C01…, W1…); shown in SECURITY.md. */
  checklist: readonly string[];
  /** Connect, load lists, set `app.db`/`app.auth`/`app.store`. Runs in registry order before anything listens. */
  init?(app: AppContext): void | Promise<void>;
  /** Edge step run after request id, client IP and security headers, before host/CORS/limits (WAF). */
  edge?(app: AppContext): EdgeStep;
  /** Routes this module serves. */
  routes?(app: AppContext): RouteDef[];
  /** Readiness probe for /ready: throw (or reject) when a dependency is down. Keep it under 1 s. */
  ready?(app: AppContext): Promise<void>;
  /** Called with the http.Server after it is created (WebSocket upgrade handling). */
  attach?(app: AppContext, server: Server): void;
  /** Graceful shutdown: close pools, sockets, timers. Called in reverse registry order. */
  close?(app: AppContext): Promise<void>;
  /**
   * Production-only configuration rules (weak secrets, TLS off). Return one message per problem, starting with
   * the variable's name and never containing its value. `env` is the raw environment (to tell set from defaulted).
   */
  productionIssues?(settings: Settings, env: Record<string, string | undefined>): string[];
}

export type { IncomingMessage, ServerResponse };
