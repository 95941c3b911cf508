/**
 * A fresh, migrated database of the project's engine with a Kysely instance on it, for tests that query the
 * database directly rather than over HTTP. Driver errors are left as they are (no 503 translation).
 */
import { createDb, type Db } from '../../src/database/db.js';
import { freshDatabase } from './database.js';
import { settingsFor } from './server-database.js';

export interface FreshDb {
  db: Db;
  /** Destroy the pool, then drop the database. */
  close(): Promise<void>;
}

export async function freshDb(poolMax = 2): Promise<FreshDb> {
  const fresh = await freshDatabase();
  const db = createDb(
    { ...settingsFor(fresh.env.DATABASE_URL ?? ''), DATABASE_POOL_MAX: poolMax, DATABASE_STATEMENT_TIMEOUT_MS: 5000 },
    { rawErrors: true },
  );
  return {
    db,
    close: async () => {
      await db.destroy();
      await fresh.drop();
    },
  };
}
