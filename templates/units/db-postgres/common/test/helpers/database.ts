/**
 * A fresh, migrated PostgreSQL database for one test file, dropped by `drop()`, on TEST_DATABASE_URL, else
 * DATABASE_URL, else a local postgres (user `postgres`, trust auth). The user needs CREATEDB. Same export in
 * every database unit, so shared tests need not know the engine.
 */
import { type FreshDatabase, freshServerDatabase, sql } from './server-database.js';

export const engine = 'postgres';
export type { FreshDatabase };

export function freshDatabase(): Promise<FreshDatabase> {
  return freshServerDatabase({
    defaultAdminUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
    create: (name) => sql`create database ${sql.id(name)}`,
    // FORCE: a server under test may still hold pooled connections.
    drop: (name) => sql`drop database if exists ${sql.id(name)} with (force)`,
  });
}
