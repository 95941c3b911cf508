/**
 * X-Request-Id (C14): the client's (or proxy's: Heroku's router sets one) when it is a short safe token, so
 * logs can be correlated across hops; otherwise a new random UUID. Never trusted for anything else.
 */
import { randomUUID } from 'node:crypto';

const SAFE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestId(header: string | string[] | undefined): string {
  return typeof header === 'string' && SAFE_ID.test(header) ? header : randomUUID();
}
