/**
 * Credentials for tests, auth style `jwt`. `authHeaders(server, who)` creates the user (once per server) and
 * signs in through `POST /api/v1/auth/token`, like a client would; other units' tests use only that.
 */
import { getDb } from '../../src/database/db.js';
import { hashPassword } from '../../src/users/password.js';
import { createUser, EmailTakenError, findCredentialsByEmail } from '../../src/users/repository.js';
import { request, type TestServer } from './server.js';

export type Who = 'alice' | 'bob' | 'admin';

export const authStyle = 'jwt';

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

/** The user's id; the account is written straight to the database (registration has its own tests). */
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

/** Sign in with a password: the raw response of the token endpoint. */
export function login(server: TestServer, email: string, password: string, extraHeaders: Record<string, string> = {}) {
  return request(server, '/api/v1/auth/token', {
    method: 'POST',
    form: { grant_type: 'password', username: email, password },
    headers: extraHeaders,
  });
}

/** A fresh token pair for `who`. */
export async function tokens(server: TestServer, who: Who): Promise<{ access_token: string; refresh_token: string }> {
  await ensureUser(server, who);
  const { email, password } = testUser(who);
  const res = await login(server, email, password);
  if (res.status !== 200) throw new Error(`login as ${who} failed: ${res.status} ${res.text}`);
  return res.json();
}

export function authHeaders(server: TestServer, who: Who): Promise<Record<string, string>> {
  return memo(headers, server, who, async () => ({
    authorization: `Bearer ${(await tokens(server, who)).access_token}`,
  }));
}
