/**
 * WebSockets (C28) on GET /api/v1/ws. The handshake passes the same edge checks as HTTP (upgrade-edge.ts),
 * then: `Origin` must be this host or one of CORS_ORIGINS (cross-site WebSocket hijacking), the caller must
 * authenticate by header/cookie or a single-use ticket from POST /api/v1/ws/ticket (browsers cannot set
 * headers on a WebSocket), and a principal may hold at most WS_MAX_CONNECTIONS_PER_USER sockets (per instance).
 * Once open: frames over WS_MAX_PAYLOAD_BYTES close with 1009, floods with 1008, an expired, revoked or
 * logged-out credential with 1008 (checked every WS_AUTH_RECHECK_MS), silence with an idle close, shutdown 1001.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { z } from 'zod';
import { hostName } from '../core/edge/trusted-hosts.js';
import { int } from '../core/settings.js';
import type { AppContext, Module, Principal } from '../core/types.js';
import { CLOSE, Connection } from './connection.js';
import { buildUpgradeEdge, type Handshake } from './upgrade-edge.js';

export const settings = {
  /** Largest accepted frame/message; bigger closes the socket with 1009. */
  WS_MAX_PAYLOAD_BYTES: int(64, 16 * 1024 * 1024).default(65_536),
  /** Messages a connection may send per second; more closes it with 1008. */
  WS_MAX_MESSAGES_PER_SECOND: int(1, 10_000).default(20),
  /** Open sockets per principal (per instance); the next handshake gets 429. */
  WS_MAX_CONNECTIONS_PER_USER: int(1, 1_000).default(5),
  /** A socket that sends nothing for this long is closed. */
  WS_IDLE_TIMEOUT_MS: int(100, 24 * 3_600_000).default(60_000),
  /** How often open sockets re-check that their credential is still valid (revocation, logout). */
  WS_AUTH_RECHECK_MS: int(100, 3_600_000).default(15_000),
};

export const WS_PATH = '/api/v1/ws';
const TICKET_TTL_S = 30;
const GO_AWAY_GRACE_MS = 2_000;
const ticketKey = (ticket: string) => `ws:ticket:${createHash('sha256').update(ticket).digest('base64url')}`;

interface State {
  wss: WebSocketServer;
  byPrincipal: Map<string, Set<Connection>>;
  recheck: NodeJS.Timeout;
  shutdownWatch: NodeJS.Timeout;
  /** Set once shutdown has told the sockets to go; cuts the ones that do not answer. */
  cutoff?: NodeJS.Timeout;
  onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  server: Server;
}

const states = new WeakMap<AppContext, State>();
const principalKey = (p: Principal) => `${p.kind}:${p.id}`;

/** No Origin: not a browser (browsers always send one on WebSockets), so no cross-site risk. */
function originAllowed(app: AppContext, req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const normalized = url.origin.toLowerCase();
  if (app.settings.CORS_ORIGINS.includes(normalized)) return true;
  // Same host: the page was served by this API's own host (already checked against ALLOWED_HOSTS).
  const host = (req.headers.host ?? '').trim().toLowerCase();
  return host !== '' && url.host === host && hostName(host) !== '';
}

async function principalFor(app: AppContext, req: IncomingMessage): Promise<Principal | null> {
  const q = (req.url ?? '').indexOf('?');
  const ticket = q === -1 ? null : new URLSearchParams((req.url ?? '').slice(q + 1)).get('ticket');
  if (ticket !== null) {
    if (!/^[A-Za-z0-9_-]{43}$/.test(ticket)) return null;
    const stored = await app.store.take(ticketKey(ticket));
    if (stored === null) return null;
    const principal = JSON.parse(stored) as Principal;
    // The ticket outlives nothing: a credential revoked since the ticket was issued is refused now.
    if (app.auth.stillValid && !(await app.auth.stillValid(principal))) return null;
    return principal;
  }
  return app.auth.authenticate(req);
}

async function onUpgrade(
  app: AppContext,
  state: State,
  edge: ReturnType<typeof buildUpgradeEdge>,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  const handshake: Handshake | null = await edge(req, socket);
  if (handshake === null) return; // answered by an edge step (WAF block, bad host, rate limit)
  const refuse = (status: number, code: string, message: string, reason: string, headers?: Record<string, string>) => {
    app.log.warn({ event: 'ws_refused', reason, ip: req.edge.ip, reqId: req.edge.id }, 'websocket handshake refused');
    handshake.refuse(status, code, message, headers);
  };

  if (req.edge.path !== WS_PATH) return handshake.refuse(404, 'not_found', 'Not found');
  if (app.shuttingDown) return handshake.refuse(503, 'unavailable', 'Server is shutting down', { 'Retry-After': '5' });
  if (req.method !== 'GET') return handshake.refuse(405, 'method_not_allowed', 'Use GET to open a WebSocket');
  if (!originAllowed(app, req)) return refuse(403, 'origin_not_allowed', 'Origin not allowed', 'origin');

  let principal: Principal | null;
  try {
    principal = await principalFor(app, req);
  } catch (err) {
    app.log.error({ err, reqId: req.edge.id }, 'websocket authentication failed');
    return handshake.refuse(503, 'unavailable', 'Service unavailable', { 'Retry-After': '5' });
  }
  if (principal === null || (principal.expiresAt !== undefined && principal.expiresAt <= Date.now())) {
    const headers: Record<string, string> = app.auth.challenge ? { 'WWW-Authenticate': app.auth.challenge } : {};
    return refuse(401, 'unauthorized', 'Authentication required', 'auth', headers);
  }

  const key = principalKey(principal);
  const open = state.byPrincipal.get(key) ?? new Set<Connection>();
  if (open.size >= app.settings.WS_MAX_CONNECTIONS_PER_USER) {
    return refuse(429, 'too_many_connections', 'Too many open WebSockets', 'connection_cap', { 'Retry-After': '5' });
  }
  // Reserve the slot now: concurrent handshakes of one principal cannot all pass the cap check.
  const placeholder = {} as Connection;
  open.add(placeholder);
  state.byPrincipal.set(key, open);
  const release = (conn: Connection) => {
    open.delete(conn);
    if (open.size === 0 && state.byPrincipal.get(key) === open) state.byPrincipal.delete(key);
  };

  handshake.release();
  socket.once('close', () => release(placeholder));
  state.wss.handleUpgrade(req, socket, head, (ws) => {
    const conn = new Connection(
      ws,
      principal,
      {
        maxMessagesPerSecond: app.settings.WS_MAX_MESSAGES_PER_SECOND,
        idleTimeoutMs: app.settings.WS_IDLE_TIMEOUT_MS,
        maxBufferedBytes: Math.max(1024 * 1024, 4 * app.settings.WS_MAX_PAYLOAD_BYTES),
      },
      app.log,
    );
    open.delete(placeholder);
    open.add(conn);
    ws.on('close', (code) => {
      conn.stopTimers();
      release(conn);
      app.log.info({ event: 'ws_closed', code, principalId: principal.id }, 'websocket closed');
    });
    // Protocol errors (oversized frame, bad UTF-8): ws has already closed the socket with the right code.
    ws.on('error', (err: Error & { code?: string }) =>
      app.log.warn(
        { event: 'ws_protocol_error', code: err.code, principalId: principal.id },
        'websocket protocol error',
      ),
    );
    app.log.info({ event: 'ws_open', principalId: principal.id, reqId: req.edge.id }, 'websocket open');
  });
}

/**
 * Shutdown starts with `app.shuttingDown = true` and then waits for the HTTP server to drain, which includes
 * upgraded sockets: so they are told to go (1001) as soon as the flag is seen, not when `close()` runs after
 * the drain. Idempotent.
 */
function goAway(state: State): void {
  if (state.cutoff) return;
  for (const set of state.byPrincipal.values()) {
    for (const conn of set) if (conn instanceof Connection) conn.close(CLOSE.goingAway, 'server shutting down');
  }
  // A client that does not answer the close frame (or does not read at all) must not hold up the drain.
  state.cutoff = setTimeout(() => {
    for (const ws of state.wss.clients) ws.terminate();
  }, GO_AWAY_GRACE_MS);
  state.cutoff.unref();
}

/** Close sockets whose credential expired or was revoked/logged out since the handshake. */
async function recheck(app: AppContext, state: State): Promise<void> {
  for (const set of state.byPrincipal.values()) {
    for (const conn of set) {
      if (!(conn instanceof Connection) || conn.expired() || !app.auth.stillValid) continue;
      try {
        if (!(await app.auth.stillValid(conn.principal))) {
          app.log.info(
            { event: 'ws_closed', reason: 'credential_revoked', principalId: conn.principal.id },
            'websocket closed',
          );
          conn.close(CLOSE.policy, 'credential revoked');
        }
      } catch {
        // Cannot tell (shared store down): fail closed; the client reconnects once the service is back.
        conn.close(CLOSE.tryAgainLater, 'try again later');
      }
    }
  }
}

export const module: Module = {
  name: 'websocket',
  checklist: ['C28'],

  routes: (app) => [
    {
      method: 'POST',
      path: '/api/v1/ws/ticket',
      auth: true,
      summary: 'A single-use ticket (30 s) to open the WebSocket with ?ticket= (browsers cannot send headers)',
      tag: 'websocket',
      schema: { response: z.object({ ticket: z.string(), expiresIn: z.number().int() }) },
      handler: async (req) => {
        const principal = req.principal as Principal;
        const ticket = randomBytes(32).toString('base64url');
        // Stored under a hash of the ticket: whoever can read the store cannot use what is in it.
        await app.store.set(ticketKey(ticket), JSON.stringify(principal), TICKET_TTL_S * 1000);
        return { body: { ticket, expiresIn: TICKET_TTL_S } };
      },
    },
  ],

  attach(app, server) {
    const wss = new WebSocketServer({
      noServer: true,
      maxPayload: app.settings.WS_MAX_PAYLOAD_BYTES,
      // Compression off: per-message deflate costs CPU and memory per socket and enables compression bombs.
      perMessageDeflate: false,
      clientTracking: true,
    });
    const edge = buildUpgradeEdge(app);
    const state: State = {
      wss,
      server,
      byPrincipal: new Map(),
      recheck: setInterval(() => void recheck(app, state), app.settings.WS_AUTH_RECHECK_MS),
      shutdownWatch: setInterval(() => {
        if (app.shuttingDown) goAway(state);
      }, 100),
      onUpgrade: (req, socket, head) => {
        // A reset during the handshake must not become an uncaught 'error' event.
        socket.on('error', () => socket.destroy());
        onUpgrade(app, state, edge, req, socket, head).catch((err: unknown) => {
          app.log.error({ err }, 'websocket upgrade failed');
          socket.destroy();
        });
      },
    };
    state.recheck.unref();
    state.shutdownWatch.unref();
    server.on('upgrade', state.onUpgrade);
    states.set(app, state);
  },

  async close(app) {
    const state = states.get(app);
    if (!state) return;
    states.delete(app);
    clearInterval(state.recheck);
    clearInterval(state.shutdownWatch);
    clearTimeout(state.cutoff);
    state.server.off('upgrade', state.onUpgrade);
    const sockets = [...state.wss.clients];
    goAway(state);
    // Give clients a moment to answer the close frame, then cut whatever is left.
    await Promise.race([
      Promise.all(
        sockets.map(
          (ws) =>
            new Promise<void>((resolve) =>
              ws.readyState === ws.CLOSED ? resolve() : ws.once('close', () => resolve()),
            ),
        ),
      ),
      new Promise<void>((resolve) => setTimeout(resolve, 1_000).unref()),
    ]);
    for (const ws of state.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => state.wss.close(() => resolve()));
  },
};
