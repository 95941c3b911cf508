/**
 * Credentials for tests, auth style `session`. `authHeaders(server, who)` creates the user (once per server),
 * signs in through `POST /api/v1/auth/login` and fetches the CSRF token, returning `Cookie` + `X-CSRF-Token`.
 * Tests run over plain http, where a browser would drop a `Secure` cookie, so the cookie is sent by hand.
 */
import { getDb } from '../../src/database/db.js';
import { hashPassword } from '../../src/users/password.js';
import { createUser, EmailTakenError, findCredentialsByEmail } from '../../src/users/repository.js';
import { request, type TestResponse, type TestServer } from './server.js';

export type Who = 'alice' | 'bob' | 'admin';

export const authStyle = 'session';

export function testUser(who: Who): { email: string; password: string; role: 'user' | 'admin' } {
  return {
    email: `${who}@example.com`,
    password: `${who} has a long test passphrase`,
    role: who === 'admin' ? 'admin' : 'user',
  };
}

const users = new WeakMap<TestServer, Map<Who, Promise<string>>>();
const headers = new WeakMap<TestServer, Map<Who, Promise<Record<string, string>>>>();

function memo<T>(
  store: WeakMap<TestServer, Map<Who, Promise<T>>>,
  server: TestServer,
  who: Who,
  make: () => Promise<T>,
): Promise<T> {
  let perServer = store.get(server);
  if (!perServer) {
    perServer = new Map();
    store.set(server, perServer);
  }
  let value = perServer.get(who);
  if (!value) {
    value = make();
    perServer.set(who, value);
    value.catch(() => perServer.delete(who));
  }
  return value;
}

export function ensureUser(server: TestServer, who: Who): Promise<string> {
  return memo(users, server, who, async () => {
    const { email, password, role } = testUser(who);
    const db = getDb(server.app);
    try {
      return (await createUser(db, { email, passwordHash: await hashPassword(password), role, displayName: who })).id;
    } catch (err) {
      // Another server on the same database made it already.
      const existing = err instanceof EmailTakenError ? await findCredentialsByEmail(db, email) : undefined;
      if (!existing) throw err;
      return existing.id;
    }
  });
}

export function login(server: TestServer, email: string, password: string, extraHeaders: Record<string, string> = {}) {
  return request(server, '/api/v1/auth/login', { method: 'POST', json: { email, password }, headers: extraHeaders });
}

/** The `__Host-sid` value a response sets, or null. */
export function sessionIdFrom(res: TestResponse): string | null {
  const cookies = res.headers['set-cookie'] ?? [];
  for (const cookie of cookies) {
    const match = /^__Host-sid=([^;]*)/.exec(cookie);
    if (match) return match[1] ?? null;
  }
  return null;
}

export async function csrfTokenFor(server: TestServer, sid: string): Promise<string> {
  const res = await request(server, '/api/v1/auth/csrf', { headers: { cookie: `__Host-sid=${sid}` } });
  if (res.status !== 200) throw new Error(`csrf token: ${res.status} ${res.text}`);
  return res.json().csrfToken;
}

/** A new session for `who`: its id and CSRF token. */
export async function session(server: TestServer, who: Who): Promise<{ sid: string; csrf: string }> {
  await ensureUser(server, who);
  const { email, password } = testUser(who);
  const res = await login(server, email, password);
  const sid = sessionIdFrom(res);
  if (res.status !== 204 || !sid) throw new Error(`login as ${who} failed: ${res.status} ${res.text}`);
  return { sid, csrf: await csrfTokenFor(server, sid) };
}

export function authHeaders(server: TestServer, who: Who): Promise<Record<string, string>> {
  return memo(headers, server, who, async () => {
    const { sid, csrf } = await session(server, who);
    return { cookie: `__Host-sid=${sid}`, 'x-csrf-token': csrf };
  });
}
