/**
 * Every query on `items` (C10): Kysely builds them, values are bound parameters, and every statement is scoped
 * to the owner, so another principal's item is indistinguishable from a missing one. The hot fixed-shape
 * queries are compiled once (`prepared`, see src/database/prepared.ts); the rest are built per call.
 */
import { randomUUID } from 'node:crypto';
import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../database/db.js';
import { containsInsensitive } from '../database/like.js';
import { prepared } from '../database/prepared.js';
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

const listPage = prepared((db, v: { owner: string; limit: number; offset: number }) =>
  db
    .selectFrom('items')
    .where('owner_id', '=', v.owner)
    .select(PUBLIC_COLUMNS)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(v.limit)
    .offset(v.offset),
);
const countAll = prepared((db, v: { owner: string }) =>
  db
    .selectFrom('items')
    .where('owner_id', '=', v.owner)
    .select((eb) => eb.fn.countAll().as('total')),
);
const findOne = prepared((db, v: { owner: string; id: string }) =>
  db.selectFrom('items').select(PUBLIC_COLUMNS).where('id', '=', v.id).where('owner_id', '=', v.owner),
);
// Every column named: the placeholders object has no keys of its own to spread.
const insertOne = prepared((db, v: Insertable<ItemsTable>) =>
  db.insertInto('items').values({
    id: v.id,
    owner_id: v.owner_id,
    title: v.title,
    description: v.description,
    created_at: v.created_at,
    updated_at: v.updated_at,
  }),
);

export async function listItems(db: Db, owner: string, options: ListOptions): Promise<{ data: Item[]; total: number }> {
  const search = options.search?.trim();
  if (!search) {
    const { limit, offset } = options;
    const [page, count] = await Promise.all([listPage.run(db, { owner, limit, offset }), countAll.run(db, { owner })]);
    return { data: page.rows.map(toItem), total: Number(count.rows[0]?.total ?? 0) };
  }
  const scope = db
    .selectFrom('items')
    .where('owner_id', '=', owner)
    .where((eb) =>
      eb.or([containsInsensitive(eb.ref('title'), search), containsInsensitive(eb.ref('description'), search)]),
    );
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
  const { rows } = await findOne.run(db, { owner, id });
  return rows[0] && toItem(rows[0]);
}

export async function createItem(
  db: Db,
  owner: string,
  fields: { title: string; description: string | null },
): Promise<Item> {
  const now = new Date().toISOString();
  const row = { id: randomUUID(), owner_id: owner, ...fields, created_at: now, updated_at: now };
  await insertOne.run(db, row);
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
