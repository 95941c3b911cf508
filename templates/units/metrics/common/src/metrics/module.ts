/**
 * Metrics (C32): GET /metrics in Prometheus text, behind `Authorization: Bearer $METRICS_TOKEN`. Without a token
 * configured the route does not exist (404), so metrics are never public by accident. The token is compared in
 * constant time; a wrong or missing one gets 401 and a `warn` line.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { HttpError } from '../core/errors.js';
import type { AppContext, Module, RouteDef } from '../core/types.js';
import { registerProcessGauges } from './process-gauges.js';

export const settings = {
  /** Bearer token for /metrics (secret, 16+ characters; 32+ in production). Unset: no /metrics route. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
};

const stops = new WeakMap<AppContext, () => void>();

// Hashing both sides first makes the comparison length-independent and constant-time.
const digest = (value: string) => createHash('sha256').update(value).digest();

function authorized(header: string | undefined, expected: Buffer): boolean {
  if (typeof header !== 'string' || !/^Bearer /i.test(header)) return false;
  return timingSafeEqual(digest(header.slice(7).trim()), expected);
}

export const module: Module = {
  name: 'metrics',
  checklist: ['C32'],

  productionIssues(settings) {
    const token = settings.METRICS_TOKEN;
    return token !== undefined && token.length < 32
      ? ['METRICS_TOKEN: must be at least 32 characters in production']
      : [];
  },

  init(app) {
    stops.set(app, registerProcessGauges(app.metrics));
  },

  routes(app): RouteDef[] {
    const token = app.settings.METRICS_TOKEN;
    if (!token) return [];
    const expected = digest(token);
    return [
      {
        method: 'GET',
        path: '/metrics',
        auth: false, // its own bearer token, not a user credential
        summary: 'Prometheus metrics (Authorization: Bearer $METRICS_TOKEN)',
        tag: 'ops',
        handler: async (req) => {
          if (!authorized(req.headers.authorization, expected)) {
            app.log.warn(
              { event: 'auth_failed', route: '/metrics', ip: req.ip, reqId: req.id },
              'metrics token refused',
            );
            throw new HttpError(401, 'unauthorized', 'Authentication required', {
              headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
            });
          }
          return {
            headers: { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' },
            stream: Readable.from([app.metrics.render()]),
          };
        },
      },
    ];
  },

  async close(app) {
    stops.get(app)?.();
    stops.delete(app);
  },
};
