/**
 * Auth style `none`: every caller is the anonymous principal, so there is nothing to send. Same export as the
 * other auth styles, so resource tests run unchanged (tests about two users owning different things do not
 * apply: there is only one).
 */
import type { TestServer } from './server.js';

export type Who = 'alice' | 'bob' | 'admin';

export const authStyle = 'none';

export async function authHeaders(_server: TestServer, _who: Who): Promise<Record<string, string>> {
  return {};
}
