// The bare-driver side: the generated `items` queries written by hand as prepared statements, one adapter per
// engine, with the drivers the generated projects use. Also the seeding of the `items` table.
import { appRequire } from './common.mjs';

const COLUMNS = 'id, title, description, created_at, updated_at';

/** The bare routes' response shape: the same fields as the generated allowlist. */
export const toItem = (r) => ({ id: r.id, title: r.title, description: r.description, createdAt: r.created_at, updatedAt: r.updated_at });

/** The bare routes' pagination check: an integer in [min, max], `fallback` when absent, null when invalid. */
export function intParam(value, fallback, min, max) {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n >= min && n <= max ? n : null;
}

/** The same SQL the generated repository sends (src/items/repository.ts: listItems, createItem). */
export async function openBare(engine, url, { poolMax = 10 } = {}) {
  if (engine === 'sqlite') {
    const Database = appRequire('better-sqlite3');
    const file = url.replace(/^file:/, '');
    // The same connection settings as the generated dialect (busy timeout, WAL, foreign keys).
    const db = new Database(file, { timeout: 5000 });
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    const list = db.prepare(`select ${COLUMNS} from items where owner_id = ? order by created_at desc, id desc limit ? offset ?`);
    const count = db.prepare('select count(*) as total from items where owner_id = ?');
    const insert = db.prepare(
      'insert into items (id, owner_id, title, description, created_at, updated_at) values (?, ?, ?, ?, ?, ?)',
    );
    return {
      async list(owner, limit, offset) {
        return { rows: list.all(owner, limit, offset), total: count.get(owner).total };
      },
      async insert(r) {
        insert.run(r.id, r.owner_id, r.title, r.description, r.created_at, r.updated_at);
      },
      insertMany: async (rows) => db.transaction((all) => {
        for (const r of all) insert.run(...r);
      })(rows),
      close: async () => db.close(),
    };
  }
  if (engine === 'postgres') {
    const pg = appRequire('pg');
    const pool = new pg.Pool({ connectionString: url, max: poolMax });
    pool.on('error', () => {});
    // Named queries: pg prepares each once per connection and then only binds and executes.
    const listQ = { name: 'bench_list', text: `select ${COLUMNS} from items where owner_id = $1 order by created_at desc, id desc limit $2 offset $3` };
    const countQ = { name: 'bench_count', text: 'select count(*) as total from items where owner_id = $1' };
    const insertQ = {
      name: 'bench_insert',
      text: 'insert into items (id, owner_id, title, description, created_at, updated_at) values ($1, $2, $3, $4, $5, $6)',
    };
    return {
      async list(owner, limit, offset) {
        const [rows, count] = await Promise.all([
          pool.query({ ...listQ, values: [owner, limit, offset] }),
          pool.query({ ...countQ, values: [owner] }),
        ]);
        return { rows: rows.rows, total: Number(count.rows[0].total) };
      },
      async insert(r) {
        await pool.query({ ...insertQ, values: [r.id, r.owner_id, r.title, r.description, r.created_at, r.updated_at] });
      },
      async insertMany(rows) {
        for (let i = 0; i < rows.length; i += 500) {
          const chunk = rows.slice(i, i + 500);
          const values = chunk.map((_, j) => `(${[1, 2, 3, 4, 5, 6].map((k) => `$${j * 6 + k}`).join(', ')})`);
          await pool.query(`insert into items (id, owner_id, title, description, created_at, updated_at) values ${values.join(', ')}`, chunk.flat());
        }
      },
      close: () => pool.end(),
    };
  }
  if (engine === 'mysql') {
    const mysql = appRequire('mysql2/promise');
    const u = new URL(url);
    const pool = mysql.createPool({
      host: u.hostname,
      port: Number(u.port || 3306),
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      database: u.pathname.slice(1),
      connectionLimit: poolMax,
      charset: 'utf8mb4',
    });
    // execute(): server-side prepared statements, cached per connection by mysql2. LIMIT/OFFSET are sent as
    // strings: a JS number is sent as DOUBLE, which MySQL 8 refuses for LIMIT.
    const listSql = `select ${COLUMNS} from items where owner_id = ? order by created_at desc, id desc limit ? offset ?`;
    return {
      async list(owner, limit, offset) {
        const [[rows], [count]] = await Promise.all([
          pool.execute(listSql, [owner, String(limit), String(offset)]),
          pool.execute('select count(*) as total from items where owner_id = ?', [owner]),
        ]);
        return { rows, total: Number(count[0].total) };
      },
      async insert(r) {
        await pool.execute(
          'insert into items (id, owner_id, title, description, created_at, updated_at) values (?, ?, ?, ?, ?, ?)',
          [r.id, r.owner_id, r.title, r.description, r.created_at, r.updated_at],
        );
      },
      async insertMany(rows) {
        for (let i = 0; i < rows.length; i += 500) {
          const chunk = rows.slice(i, i + 500);
          await pool.query('insert into items (id, owner_id, title, description, created_at, updated_at) values ?', [chunk]);
        }
      },
      close: () => pool.end(),
    };
  }
  throw new Error(`unknown engine ${engine}`);
}

/**
 * Fills `items` (created by the generated migrations): `ownerRows` rows for `owner` and as many for each of
 * `otherOwners` other principals, so that the owner index has to do its job. Timestamps are distinct.
 */
export async function seedItems(engine, url, { owner, ownerRows, otherOwners }) {
  const owners = [owner, ...Array.from({ length: otherOwners }, (_, i) => `seed-owner-${i}`)];
  const base = Date.parse('2026-01-01T00:00:00Z');
  const rows = [];
  let n = 0;
  for (const o of owners) {
    for (let i = 0; i < ownerRows; i++, n++) {
      const at = new Date(base + n * 1000).toISOString();
      rows.push([
        `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
        o,
        `Seeded item number ${i} of this owner`,
        'A plain description of a seeded item, about as long as a short paragraph that a user would type in a form field.',
        at,
        at,
      ]);
    }
  }
  const db = await openBare(engine, url, { poolMax: 1 });
  try {
    await db.insertMany(rows);
  } finally {
    await db.close();
  }
  return rows.length;
}
