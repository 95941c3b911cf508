/**
 * Every query on `{{name}}` (C10): Kysely builds them, values are bound parameters, and every statement is scoped
 * to the owner, so another principal's record is indistinguishable from a missing one.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable, Updateable } from 'kysely';
import type { Db } from '../../database/db.js';
import type { {{Name}}Record } from './schemas.js';
import type { {{Name}}Table } from './table.js';

const PUBLIC_COLUMNS = [{{publicColumns}}] as const;

type Row = Pick<Selectable<{{Name}}Table>, (typeof PUBLIC_COLUMNS)[number]>;

/** What a client may set, by API name, validated and cleaned by the routes. */
export interface {{Name}}Fields {
{{fieldsInterface}}
}

/** The response allowlist: a new column never reaches a client unless it is added here (C23). */
export function to{{Name}}(row: Row): {{Name}}Record {
  return {
    id: row.id,
{{toApi}}
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** API names → columns, for the fields present. */
function toColumns(fields: Partial<{{Name}}Fields>): Updateable<{{Name}}Table> {
  const columns: Updateable<{{Name}}Table> = {};
{{toColumns}}
  return columns;
}

export async function list{{Name}}(
  db: Db,
  owner: string,
  page: { limit: number; offset: number },
): Promise<{ data: {{Name}}Record[]; total: number }> {
  const scope = db.selectFrom('{{name}}').where('owner_id', '=', owner);
  const [rows, count] = await Promise.all([
    scope
      .select(PUBLIC_COLUMNS)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    scope.select((eb) => eb.fn.countAll().as('total')).executeTakeFirstOrThrow(),
  ]);
  // COUNT is a bigint: pg returns it as a string, mysql2 as a number.
  return { data: rows.map(to{{Name}}), total: Number(count.total) };
}

export async function find{{Name}}(db: Db, owner: string, id: string): Promise<{{Name}}Record | undefined> {
  const row = await db
    .selectFrom('{{name}}')
    .select(PUBLIC_COLUMNS)
    .where('id', '=', id)
    .where('owner_id', '=', owner)
    .executeTakeFirst();
  return row && to{{Name}}(row);
}

export async function create{{Name}}(db: Db, owner: string, fields: {{Name}}Fields): Promise<{{Name}}Record> {
  const now = new Date().toISOString();
  const row: Selectable<{{Name}}Table> = {
    id: randomUUID(),
    owner_id: owner,
{{insertColumns}}
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('{{name}}').values(row).execute();
  return to{{Name}}(row);
}

/** Undefined when there is no such record for this owner. */
export async function update{{Name}}(
  db: Db,
  owner: string,
  id: string,
  fields: Partial<{{Name}}Fields>,
): Promise<{{Name}}Record | undefined> {
  await db
    .updateTable('{{name}}')
    .set({ ...toColumns(fields), updated_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('owner_id', '=', owner)
    .execute();
  // Re-read rather than trust the affected-row count: MySQL counts only rows whose values changed.
  return find{{Name}}(db, owner, id);
}

/** False when there is no such record for this owner. */
export async function delete{{Name}}(db: Db, owner: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('{{name}}').where('id', '=', id).where('owner_id', '=', owner).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
