/**
 * Credentials for tests, auth style `session`. `authHeaders(server, who)` creates the user (once per server),
 * signs in through `POST /api/v1/auth/login` and fetches the CSRF token, returning `Cookie` + `X-CSRF-Token`.
 * Tests run over plain http, where a browser would drop a `Secure` cookie, so the cookie is sent by hand.
 */
import { request, type TestResponse, type TestServer } from './server.js';
import { ensureUser, memo, testUser, type Who } from './users.js';

export { ensureUser, testUser, type Who };

export const authStyle = 'session';

const headers = new WeakMap<TestServer, Map<Who, Promise<Record<string, string>>>>();

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
