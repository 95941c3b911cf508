/**
 * Security headers (C20), set on the raw response before anything can answer, so 404s, 400s, 429s, 500s and
 * WAF blocks carry them too. Computed once; per request it is a loop of setHeader calls.
 */
import type { EdgeStep } from '../types.js';

export function securityHeaderList(production: boolean): ReadonlyArray<readonly [string, string]> {
  const headers: Array<readonly [string, string]> = [
    ['X-Content-Type-Options', 'nosniff'],
    ['X-Frame-Options', 'DENY'],
    // A JSON API loads nothing and is framed by nobody.
    ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
    ['Referrer-Policy', 'no-referrer'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Cross-Origin-Resource-Policy', 'same-origin'],
    [
      'Permissions-Policy',
      'accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()',
    ],
    // 0 disables the legacy XSS auditor, which could itself be abused; CSP is the protection.
    ['X-XSS-Protection', '0'],
  ];
  // HSTS only in production: on http://localhost it would pin a developer's browser to https.
  if (production) headers.push(['Strict-Transport-Security', 'max-age=31536000; includeSubDomains']);
  return headers;
}

export function securityHeaders(production: boolean): EdgeStep {
  const list = securityHeaderList(production);
  return (req, res) => {
    for (let i = 0; i < list.length; i++) res.setHeader(list[i]![0], list[i]![1]);
    res.setHeader('X-Request-Id', req.edge.id);
    const path = req.edge.path;
    // Nothing under /api may be stored by browsers or shared caches: responses are per caller.
    if (path.startsWith('/api') && (path.length === 4 || path.charCodeAt(4) === 47) /* / */) {
      res.setHeader('Cache-Control', 'no-store');
    }
    return false;
  };
}
