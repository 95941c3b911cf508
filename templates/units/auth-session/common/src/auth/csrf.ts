/**
 * CSRF defence for cookie sessions, two independent checks on every unsafe method:
 *
 * 1. Where the request comes from: `Sec-Fetch-Site` (sent by every current browser) must not be
 *    `cross-site`/`same-site`, and `Origin`, when present, must be this server's own or one of CORS_ORIGINS.
 *    Clients that are not browsers send neither and pass this check; they still need the token.
 * 2. A token bound to the session (OWASP "signed double submit" variant): HMAC-SHA256 of the session id's hash
 *    under SESSION_SECRET, fetched from `GET /api/v1/auth/csrf` and sent back as `X-CSRF-Token`. Another site
 *    cannot read it, and it is worthless with any other session.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from '../core/errors.js';

export const CSRF_HEADER = 'x-csrf-token';

export function csrfToken(secret: Buffer, sessionIdHash: string): string {
  return createHmac('sha256', secret).update(`csrf:${sessionIdHash}`).digest('base64url');
}

export function csrfTokenMatches(
  secret: Buffer,
  sessionIdHash: string,
  presented: string | string[] | undefined,
): boolean {
  if (typeof presented !== 'string' || presented.length === 0 || presented.length > 128) return false;
  const expected = Buffer.from(csrfToken(secret, sessionIdHash));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Why a browser request comes from a site it may not come from, or undefined when it may. */
export function foreignOrigin(
  req: IncomingMessage,
  allowedOrigins: readonly string[],
): 'origin' | 'sec-fetch-site' | undefined {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    return isSameOrigin(origin, req.headers.host) || allowedOrigins.includes(origin.toLowerCase())
      ? undefined
      : 'origin';
  }
  const site = req.headers['sec-fetch-site'];
  return site === 'cross-site' || site === 'same-site' ? 'sec-fetch-site' : undefined;
}

function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (!host || origin === 'null') return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}

export function csrfRefused(): HttpError {
  return new HttpError(
    403,
    'csrf_failed',
    'Cross-site request refused: send the X-CSRF-Token from GET /api/v1/auth/csrf.',
  );
}
