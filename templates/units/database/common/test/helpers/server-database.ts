/**
 * A fresh, migrated database on a database server (PostgreSQL, MySQL/MariaDB) for the tests, dropped by
 * `drop()`. The server is TEST_DATABASE_URL, else DATABASE_URL, else the engine's local default; each engine's
 * `helpers/database.ts` says how to create and drop a database there.
 */
import { randomBytes } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';
import { createDb } from '../../src/database/db.js';
import { migrateToLatest } from '../../src/database/migrator.js';
import type { DatabaseSettings, SslMode } from '../../src/database/settings.js';

export interface FreshDatabase {
  /** Environment for `startServer()`: at least DATABASE_URL. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

export interface ServerEngine {
  /** Used when neither TEST_DATABASE_URL nor DATABASE_URL is set. */
  defaultAdminUrl: string;
  create(name: string): RawBuilder<unknown>;
  drop(name: string): RawBuilder<unknown>;
}

/** Database settings for tests on `url`, with the TLS mode the test run was given (DATABASE_SSL, DATABASE_CA). */
export function settingsFor(url: string): DatabaseSettings {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: url,
    DATABASE_SSL: process.env.DATABASE_SSL as SslMode | undefined,
    DATABASE_CA: process.env.DATABASE_CA,
    DATABASE_POOL_MAX: 2,
    DATABASE_STATEMENT_TIMEOUT_MS: 10_000,
  };
}

export async function freshServerDatabase(engine: ServerEngine): Promise<FreshDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? engine.defaultAdminUrl;
  // CREATE/DROP DATABASE cannot run inside the database they name: they run on the admin database.
  const admin = async (statement: RawBuilder<unknown>): Promise<void> => {
    const db = createDb(settingsFor(adminUrl), { rawErrors: true });
    try {
      await statement.execute(db);
    } finally {
      await db.destroy();
    }
  };
  const name = `test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await admin(engine.create(name));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const env: Record<string, string> = { DATABASE_URL: url.href };
  if (process.env.DATABASE_SSL) env.DATABASE_SSL = process.env.DATABASE_SSL;
  const db = createDb(settingsFor(url.href), { rawErrors: true });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  return { env, drop: () => admin(engine.drop(name)) };
}

export { sql };
