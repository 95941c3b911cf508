/**
 * Every query on `items` (C10): Kysely builds them, values are bound parameters, and every statement is scoped
 * to the owner, so another principal's item is indistinguishable from a missing one.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../database/db.js';
import { containsInsensitive } from '../database/like.js';
import type { Item } from './schemas.js';
import type { ItemsTable } from './table.js';

const PUBLIC_COLUMNS = ['id', 'title', 'description', 'created_at', 'updated_at'] as const;

type Row = Pick<Selectable<ItemsTable>, (typeof PUBLIC_COLUMNS)[number]>;

/** The response allowlist: a new column never reaches a client unless it is added here. */
export function toItem(row: Row): Item {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface ListOptions {
  limit: number;
  offset: number;
  search?: string | undefined;
}

export async function listItems(db: Db, owner: string, options: ListOptions): Promise<{ data: Item[]; total: number }> {
  let scope = db.selectFrom('items').where('owner_id', '=', owner);
  const search = options.search?.trim();
  if (search) {
    scope = scope.where((eb) =>
      eb.or([containsInsensitive(eb.ref('title'), search), containsInsensitive(eb.ref('description'), search)]),
    );
  }
  const [rows, count] = await Promise.all([
    scope
      .select(PUBLIC_COLUMNS)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit)
      .offset(options.offset)
      .execute(),
    scope.select((eb) => eb.fn.countAll().as('total')).executeTakeFirstOrThrow(),
  ]);
  // COUNT is a bigint: pg returns it as a string, mysql2 as a number.
  return { data: rows.map(toItem), total: Number(count.total) };
}

export async function findItem(db: Db, owner: string, id: string): Promise<Item | undefined> {
  const row = await db
    .selectFrom('items')
    .select(PUBLIC_COLUMNS)
    .where('id', '=', id)
    .where('owner_id', '=', owner)
    .executeTakeFirst();
  return row && toItem(row);
}

export async function createItem(
  db: Db,
  owner: string,
  fields: { title: string; description: string | null },
): Promise<Item> {
  const now = new Date().toISOString();
  const row = { id: randomUUID(), owner_id: owner, ...fields, created_at: now, updated_at: now };
  await db.insertInto('items').values(row).execute();
  return toItem(row);
}

/** Undefined when there is no such item for this owner. */
export async function updateItem(
  db: Db,
  owner: string,
  id: string,
  fields: { title?: string; description?: string | null },
): Promise<Item | undefined> {
  await db
    .updateTable('items')
    .set({ ...fields, updated_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('owner_id', '=', owner)
    .execute();
  // Re-read rather than trust the affected-row count: MySQL counts only rows whose values changed.
  return findItem(db, owner, id);
}

/** False when there is no such item for this owner. */
export async function deleteItem(db: Db, owner: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('items').where('id', '=', id).where('owner_id', '=', owner).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
