/**
 * CORS (C01): an explicit origin allowlist from CORS_ORIGINS, never `*`. A listed origin gets exactly its own
 * origin back, with credentials allowed and `Vary: Origin`; any other origin gets no CORS headers at all, so
 * the browser refuses to share the response. Preflights are answered here and never reach a route.
 */
import type { EdgeStep } from '../types.js';

export const CORS_METHODS = 'GET, POST, PUT, PATCH, DELETE';
export const CORS_HEADERS = 'Authorization, Content-Type, X-CSRF-Token, X-API-Key, X-Request-Id, X-Altcha';
export const CORS_EXPOSED =
  'X-Request-Id, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy, X-Waf-Pass';

export function cors(origins: readonly string[]): EdgeStep {
  const allowed = new Set(origins.map((o) => o.toLowerCase()));
  return (req, res) => {
    const origin = req.headers.origin;
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (origin === undefined) return false;
    // Responses differ by Origin, so caches must key on it.
    res.setHeader('Vary', 'Origin');
    const listed = allowed.has(origin.toLowerCase());
    if (listed) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    if (!preflight) {
      if (listed) res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSED);
      return false;
    }
    if (listed) {
      res.setHeader('Access-Control-Allow-Methods', CORS_METHODS);
      res.setHeader('Access-Control-Allow-Headers', CORS_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
    }
    res.statusCode = 204;
    res.setHeader('Content-Length', '0');
    res.end();
    return true;
  };
}
