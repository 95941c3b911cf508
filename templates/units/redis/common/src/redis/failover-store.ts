/**
 * What the app does while Redis is unreachable (documented in README/SECURITY.md):
 *
 * - Rate-limit and WAF counters (`hit`) fail OPEN to a per-process memory store: every instance keeps limiting
 *   on its own counts, so a Redis outage never takes the API down and never switches limiting off entirely.
 * - Everything else (`get`/`set`/`del`/`take`/`setIfAbsent`: revocations, sessions, WebSocket tickets, replay
 *   marks) fails CLOSED with 503 + Retry-After. Answering from an empty local store would accept a revoked
 *   token or a replayed challenge on another instance, which is worse than a short outage.
 *
 * One `warn` line when Redis goes away and one `info` line when it is back; no line per request. When Redis
 * returns the primary is used again at once (ioredis reconnects in the background).
 */
import type { Logger } from 'pino';
import { HttpError } from '../core/errors.js';
import type { HitResult, MemoryStore, Store } from '../core/store.js';

export interface Health {
  /** True when the client is connected and ready (ioredis `status === 'ready'`). */
  up(): boolean;
}

export class FailoverStore implements Store {
  private degraded = false;

  constructor(
    private readonly primary: Store,
    private readonly fallback: MemoryStore,
    private readonly health: Health,
    private readonly log: Logger,
  ) {}

  /** Called by the module on the client's `ready` event. */
  recovered(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.log.info({ event: 'redis_recovered' }, 'Redis is reachable again; shared store back in use');
  }

  /** Called on a failed command or a lost connection. Logs once per outage. The error text holds no secret. */
  failed(reason: string): void {
    if (this.degraded) return;
    this.degraded = true;
    this.log.warn(
      { event: 'redis_unavailable', reason },
      'Redis unreachable: rate limits fall back to per-instance memory, shared state answers 503',
    );
  }

  get isDegraded(): boolean {
    return this.degraded;
  }

  async hit(key: string, windowMs: number): Promise<HitResult> {
    if (this.health.up()) {
      try {
        return await this.primary.hit(key, windowMs);
      } catch (err) {
        this.failed(errorName(err));
      }
    }
    return this.fallback.hit(key, windowMs);
  }

  get(key: string): Promise<string | null> {
    return this.strict(() => this.primary.get(key));
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    return this.strict(() => this.primary.set(key, value, ttlMs));
  }

  del(key: string): Promise<void> {
    return this.strict(() => this.primary.del(key));
  }

  take(key: string): Promise<string | null> {
    return this.strict(() => this.primary.take(key));
  }

  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return this.strict(() => this.primary.setIfAbsent(key, value, ttlMs));
  }

  private async strict<T>(op: () => Promise<T>): Promise<T> {
    if (this.health.up()) {
      try {
        return await op();
      } catch (err) {
        this.failed(errorName(err));
      }
    }
    throw new HttpError(503, 'store_unavailable', 'A backing service is unavailable. Try again shortly.', {
      headers: { 'Retry-After': '5' },
    });
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.primary.close?.(), this.fallback.close?.()]);
  }
}

/** Only the error's class/code goes to the log: ioredis messages can echo the connection target. */
function errorName(err: unknown): string {
  if (err && typeof err === 'object') {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const name = (err as { name?: unknown }).name;
    if (typeof name === 'string') return name;
  }
  return 'unknown';
}
