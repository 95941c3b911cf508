import type { Kysely } from 'kysely';
import { columns, createTable } from '../migration-helpers.js';

/** Items, owned by a principal. No foreign key: the owner may be a user, an API key or the anonymous principal. */
// biome-ignore lint/suspicious/noExplicitAny: migrations work on the schema as it is, not as typed.
export async function up(db: Kysely<any>): Promise<void> {
  await createTable(db, 'items')
    .addColumn('id', columns.id, (c) => c.primaryKey())
    .addColumn('owner_id', 'varchar(64)', (c) => c.notNull())
    // 200 characters typed can grow when sanitising escapes them (`&` → `&amp;`): room for the worst case.
    .addColumn('title', 'varchar(1000)', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_at', columns.timestamp, (c) => c.notNull())
    .addColumn('updated_at', columns.timestamp, (c) => c.notNull())
    .execute();
  // Every list is "this owner's items, newest first".
  await db.schema
    .createIndex('items_owner_created_idx')
    .ifNotExists()
    .on('items')
    .columns(['owner_id', 'created_at'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('items').ifExists().execute();
}
