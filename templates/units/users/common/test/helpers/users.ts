/**
 * Test accounts, shared by the auth styles that have users (jwt, session): each style's `helpers/auth.ts`
 * adds how that style signs in. `memo` keeps one promise per server and person, so a user is created and
 * signed in once per test server.
 */
import { getDb } from '../../src/database/db.js';
import { hashPassword } from '../../src/users/password.js';
import { createUser, EmailTakenError, findCredentialsByEmail } from '../../src/users/repository.js';
import type { TestServer } from './server.js';

export type Who = 'alice' | 'bob' | 'admin';

export function testUser(who: Who): { email: string; password: string; role: 'user' | 'admin' } {
  return {
    email: `${who}@example.com`,
    password: `${who} has a long test passphrase`,
    role: who === 'admin' ? 'admin' : 'user',
  };
}

export function memo<T>(
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

const users = new WeakMap<TestServer, Map<Who, Promise<string>>>();

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
