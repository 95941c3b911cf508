/** API keys (auth `api-key`): hashed, with a unique public prefix and scopes. */
import type { Kysely } from 'kysely';
import { columns, createTable } from '../migration-helpers.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'api_keys')
    .addColumn('id', columns.id, (col) => col.primaryKey())
    .addColumn('name', 'varchar(64)', (col) => col.notNull())
    .addColumn('prefix', 'varchar(16)', (col) => col.notNull().unique())
    .addColumn('key_hash', 'varchar(64)', (col) => col.notNull())
    .addColumn('scopes', 'varchar(255)', (col) => col.notNull())
    .addColumn('created_at', columns.timestamp, (col) => col.notNull())
    .addColumn('revoked_at', columns.timestamp)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('api_keys').ifExists().execute();
}
