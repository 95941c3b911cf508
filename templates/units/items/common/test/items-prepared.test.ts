/**
 * C10 for the compile-once queries (src/database/prepared.ts) on the real engine: the SQL is exactly what
 * Kysely writes for the same query built per call, values only ever travel as parameters (hostile text is
 * stored verbatim and matches nothing it should not), results equal the per-call queries, and a missing value
 * fails loudly instead of binding NULL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/database/db.js';
import { prepared } from '../src/database/prepared.js';
import { createItem, findItem, listItems } from '../src/items/repository.js';
import { type FreshDb, freshDb } from './helpers/fresh-db.js';

let opened: FreshDb;
let db: Db;

beforeAll(async () => {
  opened = await freshDb(2);
  db = opened.db;
});
afterAll(async () => {
  await opened?.close();
});

const byOwner = prepared((db: Db, v: { owner: string; limit: number }) =>
  db.selectFrom('items').select(['id', 'title']).where('owner_id', '=', v.owner).orderBy('id').limit(v.limit),
);

describe('C10 prepared queries', () => {
  it('compile to the SQL Kysely writes per call, with the values as parameters in order', () => {
    const dynamic = db
      .selectFrom('items')
      .select(['id', 'title'])
      .where('owner_id', '=', "o' OR '1'='1")
      .orderBy('id')
      .limit(7)
      .compile();
    const once = byOwner.compile(db, { owner: "o' OR '1'='1", limit: 7 });
    expect(once.sql).toBe(dynamic.sql);
    expect(once.parameters).toEqual(dynamic.parameters);
    expect(once.sql).not.toContain('OR');
  });

  it('refuse to run without every value', () => {
    expect(() => byOwner.compile(db, { owner: 'x' } as { owner: string; limit: number })).toThrow(
      /no value for "limit"/,
    );
  });

  it('store hostile text verbatim and scope every read to its owner', async () => {
    const hostile = ["x'); DELETE FROM items; --", '%', "' OR '1'='1", 'é 🙂 "quoted" \\ back'];
    const mine = [];
    for (const title of hostile) mine.push(await createItem(db, 'owner-a', { title, description: title }));
    await createItem(db, 'owner-b', { title: 'not yours', description: null });

    const rows = await db.selectFrom('items').select(['title', 'description', 'owner_id']).execute();
    expect(
      rows
        .filter((r) => r.owner_id === 'owner-a')
        .map((r) => r.title)
        .sort(),
    ).toEqual([...hostile].sort());

    const page = await listItems(db, 'owner-a', { limit: 100, offset: 0 });
    expect(page.total).toBe(hostile.length);
    expect(page.data.map((i) => i.title).sort()).toEqual([...hostile].sort());
    expect(await listItems(db, "' OR '1'='1", { limit: 100, offset: 0 })).toEqual({ data: [], total: 0 });

    for (const item of mine) expect(await findItem(db, 'owner-a', item.id)).toEqual(item);
    expect(await findItem(db, 'owner-b', mine[0]!.id)).toBeUndefined();

    const paged = await listItems(db, 'owner-a', { limit: 2, offset: 1 });
    const all = await listItems(db, 'owner-a', { limit: 100, offset: 0 });
    expect(paged.data).toEqual(all.data.slice(1, 3));
  });
});
