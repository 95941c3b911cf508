/**
 * Named prepared statements (src/database/dialect.ts) on the real PostgreSQL: parameterised queries are prepared
 * once per connection and give the same answers as before (C10: values stay bound parameters), and a table
 * changing under a prepared `select *` is survived by preparing again, not answered with an error.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/database/db.js';
import { type FreshDb, freshDb } from './helpers/fresh-db.js';

let opened: FreshDb;
let db: Db;

beforeAll(async () => {
  opened = await freshDb(1);
  db = opened.db;
  await sql`create table statement_probe (a int)`.execute(db);
  await sql`insert into statement_probe values (1), (2)`.execute(db);
});
afterAll(async () => {
  await opened?.close();
});

describe('C10 named statements', () => {
  it('prepare a parameterised query once per connection and bind fresh values each time', async () => {
    const probe = (a: number) => sql<{ a: number }>`select * from statement_probe where a = ${a}`.execute(db);
    expect((await probe(1)).rows).toEqual([{ a: 1 }]);
    expect((await probe(2)).rows).toEqual([{ a: 2 }]);
    expect((await probe(3)).rows).toEqual([]);
    const prepared = await sql<{
      n: number;
    }>`select count(*)::int as n from pg_prepared_statements where statement like ${'%statement_probe where a%'}`.execute(
      db,
    );
    expect(prepared.rows[0]?.n).toBe(1);
  });

  it('survive a column added under a prepared select *', async () => {
    const probe = () => sql<Record<string, unknown>>`select * from statement_probe where a = ${1}`.execute(db);
    expect((await probe()).rows).toEqual([{ a: 1 }]);
    await sql`alter table statement_probe add column b text default 'x'`.execute(db);
    expect((await probe()).rows).toEqual([{ a: 1, b: 'x' }]);
  });
});
