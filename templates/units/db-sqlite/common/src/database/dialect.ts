/**
 * SQLite through better-sqlite3: an embedded database in one file, no server, no network, so no TLS and no
 * pool (Kysely runs one statement at a time on the single connection). Good for development and small
 * single-instance deployments; Heroku's disk is ephemeral, so production there wants postgres.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { type Dialect, type SqliteDatabase as KyselySqliteDatabase, SqliteDialect } from 'kysely';
import { z } from 'zod';
import type { DatabaseSettings } from './settings.js';

export const engine = 'sqlite';

/** `file:./data/app.db`, `file:/abs/path.db`, `file:///abs/path.db`, a bare path, or `:memory:`. */
export const urlSetting = z
  .string()
  .refine((value) => !/^(postgres|postgresql|mysql|mariadb):/i.test(value), {
    message: 'must be a SQLite file (file:./data/app.db): this project was generated for sqlite',
  })
  .default('file:./data/app.db');

/** The file path a DATABASE_URL names (relative paths are relative to the working directory). */
export function sqliteFile(url: string): string {
  const withoutQuery = url.split('?')[0] ?? url;
  if (withoutQuery === ':memory:' || withoutQuery === 'file::memory:') return ':memory:';
  if (withoutQuery.startsWith('file://')) return fileURLToPath(withoutQuery);
  return resolve(withoutQuery.replace(/^(file|sqlite):/, ''));
}

export interface DialectEvents {
  onPoolError(error: unknown): void;
}

export function createDialect(settings: DatabaseSettings, _events: DialectEvents): Dialect {
  const file = sqliteFile(settings.DATABASE_URL);
  return new SqliteDialect({
    // Opened on first use, so that a bad path is reported by init's ping with the others' wording.
    database: async () => {
      if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
      // `timeout` is SQLite's busy timeout: how long a write waits for another writer's lock (C09's statement
      // timeout has no other meaning for an embedded database).
      const db = new SqliteDatabase(file, { timeout: settings.DATABASE_STATEMENT_TIMEOUT_MS, fileMustExist: false });
      // WAL: readers do not block the writer; foreign keys are off by default in SQLite.
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      return withStatementCache(db);
    },
  });
}

/** Distinct statements kept prepared; the app's queries have a few dozen shapes, generated resources add some. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every query anew, which costs more than running it. The SQL text of a query
 * shape never changes (values are bound parameters), so a prepared statement can be reused: better-sqlite3
 * runs statements synchronously on one connection, so a statement is never in use twice at once. (Kysely's
 * `stream()` would hold a statement open while iterating; the generated code does not stream.)
 */
function withStatementCache(db: SqliteDatabase.Database): KyselySqliteDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => db.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = db.prepare(sql);
        if (statements.size >= STATEMENT_CACHE_SIZE) {
          const oldest = statements.keys().next().value;
          if (oldest !== undefined) statements.delete(oldest);
        }
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/** Nothing travels over a network. */
export function productionIssues(_settings: DatabaseSettings): string[] {
  return [];
}
