/** Refresh token rotation state (C07): one row per issued refresh token, grouped in families. */
import type { Kysely } from 'kysely';
import { columns, createTable } from '../migration-helpers.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'refresh_tokens')
    .addColumn('jti', columns.id, (col) => col.primaryKey())
    .addColumn('family_id', columns.id, (col) => col.notNull())
    .addColumn('user_id', columns.id, (col) => col.notNull())
    .addColumn('created_at', columns.timestamp, (col) => col.notNull())
    .addColumn('expires_at', columns.timestamp, (col) => col.notNull())
    .addColumn('family_expires_at', columns.timestamp, (col) => col.notNull())
    .addColumn('used_at', columns.timestamp)
    .addColumn('revoked_at', columns.timestamp)
    .execute();
  await db.schema
    .createIndex('refresh_tokens_family_idx')
    .ifNotExists()
    .on('refresh_tokens')
    .column('family_id')
    .execute();
  await db.schema
    .createIndex('refresh_tokens_expiry_idx')
    .ifNotExists()
    .on('refresh_tokens')
    .column('family_expires_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('refresh_tokens').ifExists().execute();
}
