/**
 * Global rate limit per client (C12): RATE_LIMIT_PER_MINUTE requests per fixed 60 s window, keyed by the
 * trusted client IP (IPv6 by /64), so forged X-Forwarded-For entries cannot open new buckets. Counts live in
 * `app.store` (memory, or Redis when configured, shared by every instance). Health probes are exempt.
 */
import type { Logger } from 'pino';
import type { HitResult, Store } from '../store.js';
import type { EdgeStep, IncomingMessage, ServerResponse } from '../types.js';
import { clientKey } from './client-ip.js';
import { sendError } from './respond.js';

export const WINDOW_MS = 60_000;
const EXEMPT = new Set(['/health', '/ready']);

export function globalRateLimit(store: Store, limit: number, log: Logger): EdgeStep {
  const policy = `${limit};w=${WINDOW_MS / 1000}`;
  const limitText = String(limit);

  const apply = (req: IncomingMessage, res: ServerResponse, hit: HitResult): boolean => {
    const reset = Math.max(1, Math.ceil((hit.resetAt - Date.now()) / 1000));
    const resetText = String(reset);
    res.setHeader('RateLimit-Policy', policy);
    res.setHeader('RateLimit-Limit', limitText);
    res.setHeader('RateLimit-Remaining', String(Math.max(0, limit - hit.count)));
    res.setHeader('RateLimit-Reset', resetText);
    if (hit.count <= limit) return false;
    // One warning per client and window, not one per refused request.
    if (hit.count === limit + 1)
      log.warn({ event: 'rate_limited', ip: req.edge.ip, reqId: req.edge.id }, 'rate limited');
    return sendError(req, res, 429, 'rate_limited', 'Too many requests', { 'Retry-After': resetText });
  };

  // The in-memory store answers synchronously: no promise, no extra tick on the hot path.
  const sync = store.hitSync?.bind(store);
  if (sync) {
    return (req, res) =>
      EXEMPT.has(req.edge.path) ? false : apply(req, res, sync(`rl:${clientKey(req.edge.ip)}`, WINDOW_MS));
  }
  return async (req, res) => {
    if (EXEMPT.has(req.edge.path)) return false;
    let hit: HitResult;
    try {
      hit = await store.hit(`rl:${clientKey(req.edge.ip)}`, WINDOW_MS);
    } catch (err) {
      // A shared store outage must not take the whole API down: fail open, loudly.
      log.error({ err, event: 'rate_limit_store_error' }, 'rate-limit store unavailable');
      return false;
    }
    return apply(req, res, hit);
  };
}
