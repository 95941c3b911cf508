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
  pool.on('connect', (client) => {
    client.on('error', (error) => events.onPoolError(error));
    useNamedStatements(client);
  });
  return new PostgresDialect({ pool });
}

/** Names handed out so far, by SQL text (shared by all connections: pg tracks which ones each has prepared). */
const statementNames = new Map<string, string>();
/** The app has a few dozen query shapes; past this, new shapes run unnamed rather than grow without bound. */
const MAX_NAMED_STATEMENTS = 500;
let lastStatement = 0;

function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    lastStatement += 1; // never reused: a name always means one text
    name = `secure_api_${lastStatement}`;
    statementNames.set(text, name);
  }
  return name;
}

type Query = (text: unknown, values?: unknown, callback?: unknown) => Promise<unknown>;

/**
 * Kysely sends every query unnamed, so PostgreSQL parses and plans it again on each execution. Naming the
 * parameterised ones makes them server-side prepared statements, prepared once per connection and then only
 * bound and executed: less work for the database on every request (measured in bench/db). The SQL and its bound
 * values are unchanged (C10). If a table's columns change under a prepared `select *` (a deploy migrating while
 * old dynos still run), PostgreSQL refuses the stale plan once; the query is then prepared again under a new name.
 */
function useNamedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as Query;
  const named: Query = async (text, values, callback) => {
    if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || callback !== undefined) {
      return query(text, values, callback);
    }
    const name = statementName(text);
    if (name === undefined) return query(text, values);
    try {
      return await query({ name, text, values });
    } catch (error) {
      if ((error as { code?: string }).code !== '0A000') throw error; // feature_not_supported: stale cached plan
      statementNames.delete(text);
      return query({ name: statementName(text) ?? '', text, values });
    }
  };
  client.query = named as unknown as typeof client.query;
}

export function productionIssues(settings: DatabaseSettings): string[] {
  return tlsProductionIssues(settings);
}
