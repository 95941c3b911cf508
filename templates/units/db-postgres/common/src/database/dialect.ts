/**
 * PostgreSQL through `pg`, pooled (C09, C11, C27). The URL may say `postgres://` or `postgresql://` (Heroku
 * sets the former). TLS is decided here, not by the URL: DATABASE_SSL wins over an `sslmode` in the URL, and the
 * URL's TLS parameters are removed before `pg` sees them, because `pg` would let them override our `ssl` option.
 */
import { type Dialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import { z } from 'zod';
import type { DatabaseSettings } from './settings.js';
import { resolveSslMode, tlsOptions, tlsProductionIssues, withoutTlsParams } from './tls.js';

export const engine = 'postgres';

/** Required: there is no sensible default server. Heroku Postgres sets it. */
export const urlSetting = z.string().refine((value) => /^postgres(ql)?:\/\/[^/]/i.test(value), {
  message: 'must be a postgres:// or postgresql:// URL',
});

export interface DialectEvents {
  onPoolError(error: unknown): void;
}

/** The pg pool options for these settings (exported for tests: what the TLS decision was). */
export function poolConfig(settings: DatabaseSettings): pg.PoolConfig {
  const url = new URL(settings.DATABASE_URL);
  const timeout = settings.DATABASE_STATEMENT_TIMEOUT_MS;
  return {
    connectionString: withoutTlsParams(url).href,
    ssl: tlsOptions(resolveSslMode(settings, url), settings.DATABASE_CA),
    max: settings.DATABASE_POOL_MAX,
    // Server-side limits per session: a runaway query is cancelled, an abandoned transaction does not hold locks.
    statement_timeout: timeout,
    lock_timeout: timeout,
    idle_in_transaction_session_timeout: Math.max(timeout * 2, 10_000),
    // Bounds both connecting and waiting for a free pooled connection (C27): a request never queues forever.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: 'secure-api',
  };
}

export function createDialect(settings: DatabaseSettings, events: DialectEvents): Dialect {
  const pool = new pg.Pool(poolConfig(settings));
  // An idle client whose connection dies emits 'error' on the pool; unhandled, it would crash the process.
  pool.on('error', (error) => events.onPoolError(error));
  // A checked-out client whose connection drops between queries emits 'error' on itself, not on the pool;
  // unhandled, that would crash the process when the database goes away (the query in flight still fails).
  pool.on('connect', (client) => client.on('error', (error) => events.onPoolError(error)));
  return new PostgresDialect({ pool });
}

export function productionIssues(settings: DatabaseSettings): string[] {
  return tlsProductionIssues(settings);
}
