/**
 * A fresh, migrated MySQL/MariaDB database for one test file, dropped by `drop()`, on TEST_DATABASE_URL, else
 * DATABASE_URL, else a local server (root, empty password). Same export in every database unit, so shared
 * tests need not know the engine.
 */
import { type FreshDatabase, freshServerDatabase, sql } from './server-database.js';

export const engine = 'mysql';
export type { FreshDatabase };

export function freshDatabase(): Promise<FreshDatabase> {
  return freshServerDatabase({
    defaultAdminUrl: 'mysql://root@127.0.0.1:3306/mysql',
    create: (name) => sql`create database ${sql.id(name)} character set utf8mb4 collate utf8mb4_unicode_ci`,
    drop: (name) => sql`drop database if exists ${sql.id(name)}`,
  });
}
