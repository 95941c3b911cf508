/**
 * A fresh, migrated SQLite database for one test file: a file in its own temporary folder, removed by `drop()`.
 * Same export in every database unit (postgres, mysql, none), so shared tests need not know the engine.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb } from '../../src/database/db.js';
import { migrateToLatest } from '../../src/database/migrator.js';

export const engine = 'sqlite';

export interface FreshDatabase {
  /** Environment for `startServer()`: at least DATABASE_URL. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

export async function freshDatabase(): Promise<FreshDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'secure-api-db-'));
  const env = { DATABASE_URL: `file:${join(dir, 'test.db')}` };
  const db = createDb(
    { NODE_ENV: 'test', DATABASE_URL: env.DATABASE_URL, DATABASE_POOL_MAX: 1, DATABASE_STATEMENT_TIMEOUT_MS: 5000 },
    { rawErrors: true },
  );
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  return { env, drop: () => rm(dir, { recursive: true, force: true }) };
}
