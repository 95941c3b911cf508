/** Server-side sessions (session auth): keyed by the SHA-256 of the session id, never the id itself. */
import type { Kysely } from 'kysely';
import { columns, createTable } from '../migration-helpers.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'sessions')
    .addColumn('id_hash', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('user_id', columns.id, (col) => col.notNull())
    .addColumn('created_at', columns.timestamp, (col) => col.notNull())
    .addColumn('last_seen_at', columns.timestamp, (col) => col.notNull())
    .addColumn('expires_at', columns.timestamp, (col) => col.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_idx').ifNotExists().on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expiry_idx').ifNotExists().on('sessions').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sessions').ifExists().execute();
}
