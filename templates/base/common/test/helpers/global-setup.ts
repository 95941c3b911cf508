/**
 * Once per test run: a fresh, migrated database (a temp file for SQLite, a new database on the server given
 * by TEST_DATABASE_URL for PostgreSQL/MySQL, nothing without a database) that every `startServer()` uses unless
 * a test passes its own DATABASE_URL. Dropped when the run ends.
 */
import { freshDatabase } from './database.js';

export default async function setup(): Promise<() => Promise<void>> {
  const database = await freshDatabase();
  // Test workers start after this and inherit the environment.
  // A local test server has no TLS; a test that boots in production mode must not demand it unless told to.
  const tls = database.env.DATABASE_URL ? { DATABASE_SSL: process.env.DATABASE_SSL ?? 'disable' } : {};
  process.env.TEST_SHARED_DATABASE_ENV = JSON.stringify({ ...tls, ...database.env });
  return () => database.drop();
}
