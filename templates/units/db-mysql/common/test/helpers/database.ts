/**
 * A fresh, migrated MySQL/MariaDB database for one test file, dropped by `drop()`. The server to create it on is
 * TEST_DATABASE_URL, else DATABASE_URL, else a local server (root, empty password). Same export in every
 * database unit, so shared tests need not know the engine.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { createDb } from '../../src/database/db.js';
import { migrateToLatest } from '../../src/database/migrator.js';
import type { DatabaseSettings, SslMode } from '../../src/database/settings.js';

export const engine = 'mysql';

export interface FreshDatabase {
  /** Environment for `startServer()`: at least DATABASE_URL. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

export const ADMIN_URL =
  process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/mysql';

function settingsFor(url: string): DatabaseSettings {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: url,
    DATABASE_SSL: process.env.DATABASE_SSL as SslMode | undefined,
    DATABASE_CA: process.env.DATABASE_CA,
    DATABASE_POOL_MAX: 2,
    DATABASE_STATEMENT_TIMEOUT_MS: 10_000,
  };
}

async function admin(statement: ReturnType<typeof sql>): Promise<void> {
  const db = createDb(settingsFor(ADMIN_URL), { rawErrors: true });
  try {
    await statement.execute(db);
  } finally {
    await db.destroy();
  }
}

export async function freshDatabase(): Promise<FreshDatabase> {
  const name = `test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await admin(sql`create database ${sql.id(name)} character set utf8mb4 collate utf8mb4_unicode_ci`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const env: Record<string, string> = { DATABASE_URL: url.href };
  if (process.env.DATABASE_SSL) env.DATABASE_SSL = process.env.DATABASE_SSL;
  const db = createDb(settingsFor(url.href), { rawErrors: true });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  return { env, drop: () => admin(sql`drop database if exists ${sql.id(name)}`) };
}
