/**
 * Credentials for tests, auth style `jwt`. `authHeaders(server, who)` creates the user (once per server) and
 * signs in through `POST /api/v1/auth/token`, like a client would; other units' tests use only that.
 */
import { request, type TestServer } from './server.js';
import { ensureUser, memo, testUser, type Who } from './users.js';

export { ensureUser, testUser, type Who };

export const authStyle = 'jwt';

const headers = new WeakMap<TestServer, Map<Who, Promise<Record<string, string>>>>();

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
