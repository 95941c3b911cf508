/**
 * C28 WebSockets over real connections: who may open one (credentials, ticket, Origin, edge checks), what a
 * socket may do (message contract, frame size, message rate, connection cap, idle time), and when the server
 * ends it (credential expired or logged out, shutdown).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { authHeaders, authStyle as style } from './helpers/auth.js';
import { type FreshDatabase, freshDatabase } from './helpers/database.js';
import { request, startServer, type TestServer } from './helpers/server.js';
import { closed, nextMessage, openSocket, rawSocket, send, textFrame } from './helpers/ws.js';

/** This project's auth style (a literal per auth unit, widened so the checks below compile in every project). */
const authStyle: string = style;

const hasWaf = (server: TestServer) => server.app.modules?.some((m) => m.name === 'waf') ?? false;

let db: FreshDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db?.drop();
});

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Sockets opened by a test are closed after it, so one failing test cannot leak into the next. */
const opened: WebSocket[] = [];
afterEach(() => {
  for (const ws of opened.splice(0)) ws.terminate();
});
async function open(server: { port: number }, options: Parameters<typeof openSocket>[1] = {}) {
  const result = await openSocket(server, options);
  if (result.ws) opened.push(result.ws);
  return result;
}

describe('C28 WebSocket handshake: credentials, ticket, Origin, edge checks', () => {
  let server: TestServer;
  let alice: Record<string, string>;
  beforeAll(async () => {
    server = await startServer({ ...db.env, CORS_ORIGINS: 'https://app.example.com', RATE_LIMIT_PER_MINUTE: '10000' });
    alice = await authHeaders(server, 'alice');
  });
  afterAll(() => server?.close());

  it('opens with credentials in a header and speaks the message contract', async () => {
    const { ws, status } = await open(server, { headers: alice });
    expect(status).toBeUndefined();
    send(ws!, { type: 'ping' });
    expect(await nextMessage(ws!)).toEqual({ type: 'pong' });
    send(ws!, { type: 'echo', text: 'héllo <b>' });
    expect(await nextMessage(ws!)).toEqual({ type: 'echo', text: 'héllo <b>' });
    send(ws!, { type: 'shell', cmd: 'id' });
    expect(await nextMessage(ws!)).toEqual({ type: 'error', code: 'unknown_type' });
    send(ws!, { type: 'echo', text: 'x', extra: true });
    expect(await nextMessage(ws!)).toEqual({ type: 'error', code: 'invalid_message' });
    send(ws!, '{not json');
    expect(await nextMessage(ws!)).toEqual({ type: 'error', code: 'invalid_json' });
    ws!.send(Buffer.from([1, 2, 3]));
    expect(await nextMessage(ws!)).toEqual({ type: 'error', code: 'binary_not_supported' });
  });

  it('refuses a handshake without credentials or with a bad one (401)', async (ctx) => {
    if (authStyle === 'none') return ctx.skip();
    const none = await open(server);
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');
    const bad = await open(server, { headers: { authorization: 'Bearer not-a-token', 'x-api-key': 'sk_nope_nope' } });
    expect(bad.status).toBe(401);
  });

  it('refuses a foreign Origin (403) and accepts a listed one and the same host', async () => {
    const foreign = await open(server, { headers: alice, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('origin_not_allowed');
    // A look-alike of a listed origin is still foreign.
    expect((await open(server, { headers: alice, origin: 'https://app.example.com.evil.example' })).status).toBe(403);
    expect((await open(server, { headers: alice, origin: 'null' })).status).toBe(403);
    expect((await open(server, { headers: alice, origin: 'https://app.example.com' })).ws).toBeDefined();
    expect((await open(server, { headers: alice, origin: `http://localhost:${server.port}` })).ws).toBeDefined();
  });

  it('opens with a single-use ticket, which cannot be reused', async (ctx) => {
    if (authStyle === 'none') return ctx.skip();
    const res = await request(server, '/api/v1/ws/ticket', { method: 'POST', headers: alice });
    expect(res.status).toBe(200);
    const { ticket, expiresIn } = res.json();
    expect(expiresIn).toBe(30);
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.headers['cache-control']).toBe('no-store');
    const first = await open(server, { query: `ticket=${ticket}`, origin: `http://localhost:${server.port}` });
    expect(first.ws).toBeDefined();
    send(first.ws!, { type: 'ping' });
    expect(await nextMessage(first.ws!)).toEqual({ type: 'pong' });
    const again = await open(server, { query: `ticket=${ticket}` });
    expect(again.status).toBe(401);
    expect((await open(server, { query: 'ticket=forged' })).status).toBe(401);
    expect((await request(server, '/api/v1/ws/ticket', { method: 'POST' })).status).toBe(401);
    // The ticket never reaches the log.
    expect(server.logs.join('\n')).not.toContain(ticket);
  });

  it('applies the edge checks to upgrades: unlisted Host 400, unknown path 404', async () => {
    const host = await open(server, { headers: alice, host: 'evil.example' });
    expect(host.status).toBe(400);
    expect(host.body.error.code).toBe('invalid_host');
    const path = await open(server, { headers: alice, path: '/api/v1/elsewhere' });
    expect(path.status).toBe(404);
  });

  it('applies the WAF to upgrades (a blocked user agent gets 403)', async (ctx) => {
    if (!hasWaf(server)) return ctx.skip();
    const res = await open(server, { headers: { ...alice, 'user-agent': 'sqlmap/1.7' } });
    expect(res.status).toBe(403);
  });

  it('refused handshakes carry the security headers', async () => {
    const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      import('node:http').then(({ default: http }) => {
        const req = http.request({
          host: '127.0.0.1',
          port: server.port,
          path: '/api/v1/ws',
          headers: {
            host: 'localhost',
            connection: 'Upgrade',
            upgrade: 'websocket',
            'sec-websocket-version': '13',
            'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
            origin: 'https://evil.example',
          },
        });
        req.on('response', (r) => {
          r.resume();
          resolve(r);
        });
        req.on('error', reject);
        req.end();
      }, reject);
    });
    expect(res.statusCode).toBe(403);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['x-request-id']).toBeDefined();
  });
});

describe('C28 WebSocket handshakes count against the per-client rate limit (C12)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ ...db.env, RATE_LIMIT_PER_MINUTE: '5', WS_MAX_CONNECTIONS_PER_USER: '100' });
  });
  afterAll(() => server?.close());

  it('answers 429 with Retry-After once a client has used its budget, sockets or not', async () => {
    const headers = await authHeaders(server, 'alice');
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await open(server, { headers }));
    expect(results[0]!.ws).toBeDefined();
    const last = results[5]!;
    expect(last.status).toBe(429);
    expect(last.body.error.code).toBe('rate_limited');
  });
});

describe('C28 WebSocket limits: frame size, message rate, connection cap, idle timeout', () => {
  let server: TestServer;
  let alice: Record<string, string>;
  beforeAll(async () => {
    server = await startServer({
      ...db.env,
      RATE_LIMIT_PER_MINUTE: '10000',
      WS_MAX_PAYLOAD_BYTES: '1024',
      WS_MAX_MESSAGES_PER_SECOND: '5',
      WS_MAX_CONNECTIONS_PER_USER: '2',
      WS_IDLE_TIMEOUT_MS: '400',
    });
    alice = await authHeaders(server, 'alice');
  });
  afterAll(() => server?.close());

  it('closes with 1009 on a frame over WS_MAX_PAYLOAD_BYTES', async () => {
    const { ws } = await open(server, { headers: alice });
    const done = closed(ws!);
    send(ws!, { type: 'echo', text: 'x'.repeat(2048) });
    expect((await done).code).toBe(1009);
  });

  it('answers a message just under the limit', async () => {
    const { ws } = await open(server, { headers: alice });
    send(ws!, { type: 'echo', text: 'x'.repeat(900) });
    expect((await nextMessage(ws!)).text).toHaveLength(900);
  });

  it('closes with 1008 when a client floods messages', async () => {
    const { ws } = await open(server, { headers: alice });
    const done = closed(ws!);
    for (let i = 0; i < 20; i++) send(ws!, { type: 'ping' });
    const { code, reason } = await done;
    expect(code).toBe(1008);
    expect(reason).toContain('rate');
  });

  it('caps open sockets per user (429) and frees the slot on close', async () => {
    const a = await open(server, { headers: alice });
    const b = await open(server, { headers: alice });
    expect(a.ws && b.ws).toBeDefined();
    const third = await open(server, { headers: alice });
    expect(third.status).toBe(429);
    const done = new Promise((resolve) => a.ws!.once('close', resolve));
    a.ws!.close();
    await done;
    await new Promise((r) => setTimeout(r, 50));
    expect((await open(server, { headers: alice })).ws).toBeDefined();
  });

  it('closes a silent socket after WS_IDLE_TIMEOUT_MS, and activity keeps it open', async () => {
    const busy = await open(server, { headers: alice });
    const idle = await open(server, { headers: alice });
    const idleClosed = closed(idle.ws!);
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 200));
      send(busy.ws!, { type: 'ping' });
      await nextMessage(busy.ws!);
    }
    const { ms } = await idleClosed;
    expect(ms).toBeGreaterThanOrEqual(300);
    expect(ms).toBeLessThan(2000);
    expect(busy.ws!.readyState).toBe(busy.ws!.OPEN);
  });
});

describe('C28 WebSocket memory bound: a client that sends but never reads is cut off (C27)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ ...db.env, RATE_LIMIT_PER_MINUTE: '10000', WS_MAX_MESSAGES_PER_SECOND: '10000' });
  });
  afterAll(() => server?.close());

  it('terminates the socket once replies queued for it pass the bound', async () => {
    const socket = await rawSocket(server, await authHeaders(server, 'alice'));
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    // Never read; ask for up to 24 MB of echoes (the kernel buffers some, the rest would pile up in the server).
    const frame = textFrame(JSON.stringify({ type: 'echo', text: 'x'.repeat(60_000) }));
    for (let i = 0; i < 400 && !socket.destroyed; i++) {
      if (!socket.write(frame)) {
        await new Promise<void>((resolve) => {
          socket.once('drain', resolve);
          socket.once('close', resolve);
        });
      }
    }
    await until(() => server.logs.some((l) => l.includes('"ws_slow_consumer"')));
    socket.resume(); // read again: the server has already cut the connection
    await ended;
  });
});

describe('C28 WebSocket lifetime: expired or logged-out credentials close with 1008, shutdown with 1001', () => {
  it('closes with 1008 when the credential is logged out', async (ctx) => {
    const server = await startServer({ ...db.env, WS_AUTH_RECHECK_MS: '100', RATE_LIMIT_PER_MINUTE: '10000' });
    try {
      // Only tokens and sessions can be logged out; an API key stays valid until it is deleted.
      if (authStyle !== 'jwt' && authStyle !== 'session') return ctx.skip();
      const headers = await authHeaders(server, 'bob');
      const { ws } = await open(server, { headers });
      const done = closed(ws!);
      const out = await request(server, '/api/v1/auth/logout', { method: 'POST', headers });
      expect(out.status).toBe(204);
      const { code, ms } = await done;
      expect(code).toBe(1008);
      expect(ms).toBeLessThan(2000);
    } finally {
      await server.close();
    }
  });

  it('closes with 1008 when the credential expires (principal.expiresAt), without waiting for a recheck', async (ctx) => {
    // Access tokens live at least 30 s, too long for a test: the auth provider is wrapped so that the caller's
    // credential expires 600 ms from now. What is tested is this module honouring `expiresAt`.
    const server = await startServer({ ...db.env, WS_AUTH_RECHECK_MS: '3600000', RATE_LIMIT_PER_MINUTE: '10000' });
    try {
      if (authStyle === 'none') return ctx.skip();
      const headers = await authHeaders(server, 'alice');
      const provider = server.app.auth;
      const authenticate = provider.authenticate.bind(provider);
      server.app.auth = {
        ...provider,
        authenticate: async (req) => {
          const principal = await authenticate(req);
          return principal && { ...principal, expiresAt: Date.now() + 600 };
        },
      };
      const { ws } = await open(server, { headers });
      const { code, reason, ms } = await closed(ws!, 5_000);
      expect(code).toBe(1008);
      expect(reason).toContain('expired');
      expect(ms).toBeLessThan(1_500);
    } finally {
      await server.close();
    }
  });

  it('closes open sockets with 1001 on shutdown, promptly', async () => {
    const server = await startServer({ ...db.env, RATE_LIMIT_PER_MINUTE: '10000' });
    const { ws } = await open(server, { headers: await authHeaders(server, 'alice') });
    const done = closed(ws!);
    const started = Date.now();
    await server.close();
    expect((await done).code).toBe(1001);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('C28 WebSocket shutdown does not wait for clients that never answer', () => {
  it('cuts a socket that ignores the 1001 close frame, so the drain finishes in seconds', async () => {
    const server = await startServer({ ...db.env, RATE_LIMIT_PER_MINUTE: '10000' });
    const socket = await rawSocket(server, await authHeaders(server, 'alice'));
    socket.on('error', () => undefined);
    const gone = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.resume();
    socket.on('data', () => undefined); // reads, but never answers the close frame
    const started = Date.now();
    await server.close();
    await gone;
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('C28 WebSocket upgrades in production behind a TLS proxy', () => {
  it('refuses ws:// (X-Forwarded-Proto: http) with 400 and lets wss:// through to the handshake', async () => {
    // A production server needs production secrets and hosts; the upgrade edge is built here from a test
    // server's context with production settings and mounted on a plain http.Server.
    const http = await import('node:http');
    const { buildUpgradeEdge } = await import('../src/websocket/upgrade-edge.js');
    const server = await startServer({ ...db.env });
    const prod = {
      ...server.app,
      settings: { ...server.app.settings, NODE_ENV: 'production' as const, TRUST_PROXY_HOPS: 1 },
    };
    const edge = buildUpgradeEdge(prod);
    const plain = http.createServer();
    plain.on('upgrade', (req, socket) => {
      void edge(req, socket).then((handshake) => handshake?.refuse(418, 'passed', 'edge passed'));
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', () => resolve()));
    const port = (plain.address() as import('node:net').AddressInfo).port;
    try {
      const insecure = await open({ port }, { headers: { 'x-forwarded-proto': 'http' } });
      expect(insecure.status).toBe(400);
      expect(insecure.body.error.code).toBe('https_required');
      const secure = await open({ port }, { headers: { 'x-forwarded-proto': 'https' } });
      expect(secure.status).toBe(418);
      expect((await open({ port }, { headers: { 'x-forwarded-proto': 'https' }, host: 'evil.example' })).status).toBe(
        400,
      );
    } finally {
      plain.close();
      await server.close();
    }
  });
});
