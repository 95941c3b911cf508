/**
 * MySQL 8 / MariaDB through `mysql2`, pooled (C09, C27). The URL is parsed here into explicit options rather
 * than handed to mysql2, whose URL parser accepts driver options from the query string (for example
 * `multipleStatements=true`, which would allow stacked queries); only host, port, user, password, database
 * and a TLS wish are read from it.
 */
import { CompiledQuery, type DatabaseConnection, type Dialect, MysqlDialect } from 'kysely';
import { createPool, type PoolOptions } from 'mysql2';
import { z } from 'zod';
import type { DatabaseSettings } from './settings.js';
import { resolveSslMode, tlsOptions, tlsProductionIssues } from './tls.js';

export const engine = 'mysql';

/** Required: there is no sensible default server. */
export const urlSetting = z.string().refine((value) => /^(mysql|mariadb):\/\/[^/]/i.test(value), {
  message: 'must be a mysql:// URL',
});

export interface DialectEvents {
  onPoolError(error: unknown): void;
}

/** The mysql2 pool options for these settings (exported for tests: what the TLS decision was). */
export function poolOptions(settings: DatabaseSettings): PoolOptions {
  const url = new URL(settings.DATABASE_URL);
  const ssl = tlsOptions(resolveSslMode(settings, url), settings.DATABASE_CA);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? 3306 : Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    ...(database === '' ? {} : { database }),
    ...(ssl === false ? {} : { ssl }),
    connectionLimit: settings.DATABASE_POOL_MAX,
    // Bounded waiting (C27): past this many queued requests mysql2 fails fast, which becomes a 503.
    queueLimit: settings.DATABASE_POOL_MAX * 50,
    connectTimeout: 5_000,
    idleTimeout: 30_000,
    enableKeepAlive: true,
    charset: 'utf8mb4',
    timezone: 'Z',
    // Defence in depth for C10: one statement per query, and an object never expands into `key = value` SQL.
    multipleStatements: false,
    stringifyObjects: true,
  };
}

/** MySQL caps SELECTs with `max_execution_time` (ms); MariaDB caps every statement with `max_statement_time` (s). */
async function limitStatementTime(connection: DatabaseConnection, ms: number): Promise<void> {
  const { rows } = await connection.executeQuery<{ v: string }>(CompiledQuery.raw('select version() as v'));
  const mariadb = /mariadb/i.test(String(rows[0]?.v));
  await connection.executeQuery(
    mariadb
      ? CompiledQuery.raw('set session max_statement_time = ?', [ms / 1000])
      : CompiledQuery.raw('set session max_execution_time = ?', [ms]),
  );
  await connection.executeQuery(
    CompiledQuery.raw('set session innodb_lock_wait_timeout = ?', [Math.max(1, Math.ceil(ms / 1000))]),
  );
}

export function createDialect(settings: DatabaseSettings, events: DialectEvents): Dialect {
  const pool = createPool(poolOptions(settings));
  // A pooled connection that dies emits 'error' (mysql2 drops it from the pool on the first one); a listener
  // for every one, so that a second emission cannot crash the process.
  pool.on('connection', (connection) => connection.on('error', (error: unknown) => events.onPoolError(error)));
  return new MysqlDialect({
    pool,
    onCreateConnection: (connection) => limitStatementTime(connection, settings.DATABASE_STATEMENT_TIMEOUT_MS),
  });
}

export function productionIssues(settings: DatabaseSettings): string[] {
  return tlsProductionIssues(settings);
}
