/**
 * Auth style `session` under attack, over real HTTP (C08, C12, C21): cookie attributes, session fixation,
 * CSRF (missing, wrong, another session's token, foreign Origin, cross-site fetch), timeouts and logout.
 * Tests speak plain http, so they send the `__Host-sid` cookie themselves (a browser would only over https).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../src/database/db.js';
import { csrfTokenFor, ensureUser, login, session, sessionIdFrom, testUser } from './helpers/auth.js';
import { type FreshDatabase, freshDatabase } from './helpers/database.js';
import { request, startServer, type TestServer } from './helpers/server.js';

const ME = '/api/v1/users/me';
let fresh: FreshDatabase;
let server: TestServer;

beforeAll(async () => {
  fresh = await freshDatabase();
  server = await startServer({
    ...fresh.env,
    SESSION_SECRET: 'test-only 0a1b2c3d4e5f60718293a4b5c6d7e8f9 csrf key',
    RATE_LIMIT_PER_MINUTE: '100000',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    // Parallel test files on a small machine can stall the loop; load shedding has its own tests.
    MAX_EVENT_LOOP_DELAY_MS: '60000',
  });
  await ensureUser(server, 'alice');
  await ensureUser(server, 'bob');
});
afterAll(async () => {
  await server?.close();
  await fresh?.drop();
});

const cookie = (sid: string) => ({ cookie: `__Host-sid=${sid}` });

function patchMe(headers: Record<string, string>, displayName = 'Changed') {
  return request(server, ME, { method: 'PATCH', json: { displayName }, headers });
}

describe('C08 login sets a hardened session cookie', () => {
  it('204 with __Host-sid: HttpOnly, Secure, SameSite=Lax, Path=/, no Domain; a 256-bit id', async () => {
    const { email, password } = testUser('alice');
    const res = await login(server, email, password);
    expect(res.status).toBe(204);
    const setCookie = (res.headers['set-cookie'] ?? []).find((c) => c.startsWith('__Host-sid='));
    expect(setCookie).toBeDefined();
    const attributes = (setCookie as string).split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('secure');
    expect(attributes).toContain('samesite=lax');
    expect(attributes).toContain('path=/');
    expect(attributes.some((a) => a.startsWith('domain'))).toBe(false);
    const sid = sessionIdFrom(res) as string;
    expect(Buffer.from(sid, 'base64url')).toHaveLength(32);
    expect((await request(server, ME, { headers: cookie(sid) })).status).toBe(200);
  });

  it('401 without a cookie, with an unknown or malformed one, and one generic message for bad credentials', async () => {
    expect((await request(server, ME)).status).toBe(401);
    expect((await request(server, ME, { headers: cookie('A'.repeat(43)) })).status).toBe(401);
    expect((await request(server, ME, { headers: cookie("x' or '1'='1") })).status).toBe(401);
    const wrong = await login(server, 'alice@example.com', 'not the right passphrase');
    const unknown = await login(server, 'nobody@example.com', 'not the right passphrase');
    expect(wrong.status).toBe(401);
    expect(unknown.json().error.message).toBe(wrong.json().error.message);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('stores only the SHA-256 of the session id', async () => {
    const { sid } = await session(server, 'alice');
    const rows = await getDb(server.app).selectFrom('sessions').select('id_hash').execute();
    const hashes = rows.map((r) => r.id_hash);
    expect(hashes).toContain(createHash('sha256').update(sid).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(sid);
  });
});

describe('C08 session fixation: the id is rotated at login', () => {
  it('ignores an id planted by an attacker and issues a new one', async () => {
    const planted = 'B'.repeat(43);
    const { email, password } = testUser('alice');
    const res = await login(server, email, password, cookie(planted));
    const sid = sessionIdFrom(res);
    expect(sid).not.toBe(planted);
    expect((await request(server, ME, { headers: cookie(planted) })).status).toBe(401);
  });

  it('ends the session the client had before signing in again', async () => {
    const before = await session(server, 'bob');
    const { email, password } = testUser('alice');
    const res = await login(server, email, password, cookie(before.sid));
    const after = sessionIdFrom(res) as string;
    expect(after).not.toBe(before.sid);
    expect((await request(server, ME, { headers: cookie(before.sid) })).status).toBe(401);
    expect((await request(server, ME, { headers: cookie(after) })).json().email).toBe('alice@example.com');
  });
});

describe('C08 CSRF on every unsafe method', () => {
  it('refuses a missing or wrong X-CSRF-Token with 403, accepts the right one', async () => {
    const { sid, csrf } = await session(server, 'alice');
    expect((await patchMe(cookie(sid))).status).toBe(403);
    expect((await patchMe({ ...cookie(sid), 'x-csrf-token': '' })).status).toBe(403);
    // One character changed: the first, which carries six whole bits (replacing the last with a fixed letter
    // was no change at all whenever the token already ended with it, one time in 64).
    const wrong = `${csrf[0] === 'A' ? 'B' : 'A'}${csrf.slice(1)}`;
    expect((await patchMe({ ...cookie(sid), 'x-csrf-token': wrong })).status).toBe(403);
    expect((await patchMe({ ...cookie(sid), 'x-csrf-token': 'x'.repeat(500) })).status).toBe(403);
    const ok = await patchMe({ ...cookie(sid), 'x-csrf-token': csrf });
    expect(ok.status).toBe(200);
    expect(ok.json().displayName).toBe('Changed');
  });

  it("refuses another session's token (bound to the session)", async () => {
    const alice = await session(server, 'alice');
    const bob = await session(server, 'bob');
    expect((await patchMe({ ...cookie(alice.sid), 'x-csrf-token': bob.csrf })).status).toBe(403);
    expect(bob.csrf).not.toBe(alice.csrf);
  });

  it('refuses a foreign Origin or a cross-site fetch even with the right token; accepts its own origin', async () => {
    const { sid, csrf } = await session(server, 'alice');
    const headers = { ...cookie(sid), 'x-csrf-token': csrf };
    expect((await patchMe({ ...headers, origin: 'https://evil.example' })).status).toBe(403);
    expect((await patchMe({ ...headers, origin: 'null' })).status).toBe(403);
    expect((await patchMe({ ...headers, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await patchMe({ ...headers, 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect(
      (await patchMe({ ...headers, origin: `http://localhost:${server.port}`, 'sec-fetch-site': 'same-origin' }))
        .status,
    ).toBe(200);
  });

  it('guards logout and item writes too, and the login form against login CSRF', async () => {
    const { sid, csrf } = await session(server, 'alice');
    expect((await request(server, '/api/v1/auth/logout', { method: 'POST', headers: cookie(sid) })).status).toBe(403);
    expect(
      (await request(server, '/api/v1/items', { method: 'POST', json: { title: 't' }, headers: cookie(sid) })).status,
    ).toBe(403);
    expect(
      (
        await request(server, '/api/v1/items', {
          method: 'POST',
          json: { title: 't' },
          headers: { ...cookie(sid), 'x-csrf-token': csrf },
        })
      ).status,
    ).toBe(201);
    const { email, password } = testUser('alice');
    expect((await login(server, email, password, { origin: 'https://evil.example' })).status).toBe(403);
  });

  it('GET /api/v1/auth/csrf needs a session and is not cacheable', async () => {
    expect((await request(server, '/api/v1/auth/csrf')).status).toBe(401);
    const { sid } = await session(server, 'alice');
    const res = await request(server, '/api/v1/auth/csrf', { headers: cookie(sid) });
    expect(res.headers['cache-control']).toContain('no-store');
    expect(res.json().csrfToken).toBe(await csrfTokenFor(server, sid));
  });
});

describe('C08 timeouts and logout', () => {
  async function age(sid: string, field: 'last_seen_at' | 'expires_at', msAgo: number) {
    const idHash = createHash('sha256').update(sid).digest('hex');
    await getDb(server.app)
      .updateTable('sessions')
      .set({ [field]: new Date(Date.now() - msAgo).toISOString() })
      .where('id_hash', '=', idHash)
      .execute();
  }

  it('ends a session idle for longer than SESSION_IDLE_TTL', async () => {
    const { sid } = await session(server, 'alice');
    await age(sid, 'last_seen_at', 1_800_000 + 1000);
    expect((await request(server, ME, { headers: cookie(sid) })).status).toBe(401);
  });

  it('ends an active session at SESSION_ABSOLUTE_TTL', async () => {
    const { sid } = await session(server, 'alice');
    await age(sid, 'expires_at', 1000);
    expect((await request(server, ME, { headers: cookie(sid) })).status).toBe(401);
  });

  it('logout destroys the session on the server and clears the cookie', async () => {
    const { sid, csrf } = await session(server, 'alice');
    const res = await request(server, '/api/v1/auth/logout', {
      method: 'POST',
      headers: { ...cookie(sid), 'x-csrf-token': csrf },
    });
    expect(res.status).toBe(204);
    expect((res.headers['set-cookie'] ?? []).some((c) => /^__Host-sid=;.*Max-Age=0/i.test(c))).toBe(true);
    // Replaying the old cookie (as a thief who copied it would) fails.
    expect((await request(server, ME, { headers: cookie(sid) })).status).toBe(401);
  });
});

describe('C14 no cookie, CSRF token or password in the log', () => {
  it('after the tests above, the log holds none of them', async () => {
    const { sid, csrf } = await session(server, 'alice');
    await patchMe({ ...cookie(sid), 'x-csrf-token': 'wrong' });
    const log = server.logs.join('\n');
    expect(log).not.toContain(sid);
    expect(log).not.toContain(csrf);
    expect(log).not.toContain(testUser('alice').password);
    expect(log).toContain('"event":"csrf_failed"');
  });
});

describe('C21 SESSION_SECRET in production', () => {
  it('refuses to boot without a strong one, naming the variable and not the value', async () => {
    for (const value of [undefined, 'session-secret-session-secret-session', 'tooshort-but-random-9Xq']) {
      const error = await startServer({
        ...fresh.env,
        NODE_ENV: 'production',
        ALLOWED_HOSTS: 'api.example.com',
        DATABASE_SSL: 'disable',
        SESSION_SECRET: value,
      }).then(
        async (s) => {
          await s.close();
          return undefined;
        },
        (e: Error) => e,
      );
      expect(error?.message, String(value)).toContain('SESSION_SECRET');
      if (value) expect(error?.message).not.toContain(value);
    }
  });
});
