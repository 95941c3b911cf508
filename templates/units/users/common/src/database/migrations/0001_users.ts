/**
 * The users table (C06, C23). Column types from the shared helpers, so one migration serves SQLite,
 * PostgreSQL and MySQL/MariaDB; ids are UUIDs made by the app (no engine-specific auto-increment or RETURNING).
 */
import type { Kysely } from 'kysely';
import { columns, createTable } from '../migration-helpers.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'users')
    .addColumn('id', columns.id, (col) => col.primaryKey())
    .addColumn('email', 'varchar(254)', (col) => col.notNull().unique())
    .addColumn('display_name', 'varchar(100)')
    .addColumn('password_hash', 'varchar(255)', (col) => col.notNull())
    .addColumn('role', 'varchar(16)', (col) => col.notNull().defaultTo('user'))
    .addColumn('created_at', columns.timestamp, (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('users').ifExists().execute();
}
