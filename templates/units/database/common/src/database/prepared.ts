/**
 * Compile-once queries for hot paths (C10 unchanged: Kysely writes the SQL, every value is a bound parameter).
 *
 * Kysely builds an immutable query tree and compiles it to SQL on every call. For a short indexed read that is
 * a large share of the request: measured in bench/db, building and compiling a list + count cost more than
 * SQLite running them. A query whose values change but whose shape does not can be built once with
 * placeholders, compiled once per database, and then run with fresh parameter values:
 *
 *   const byOwner = prepared((db, v: { owner: string; limit: number }) =>
 *     db.selectFrom('items').selectAll().where('owner_id', '=', v.owner).limit(v.limit));
 *   const { rows } = await byOwner.run(db, { owner, limit: 20 });
 *
 * `v.owner` is a placeholder object at build time; Kysely binds it like any value, so its position in the
 * compiled parameter list is known and the real value goes there. Queries whose shape depends on the input
 * (an optional search clause, a set of columns to update) stay ordinary Kysely queries.
 */
import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import type { Db } from './db.js';

/** A placeholder stands for the value named `key`; it never reaches a database. */
class Placeholder {
  constructor(readonly key: string) {}
}

interface Compiled {
  base: CompiledQuery;
  /** For each parameter position: the value's key, or the constant Kysely bound itself. */
  slots: readonly (Placeholder | { constant: unknown })[];
}

export interface PreparedQuery<V, R> {
  /** Run with these values (compiled for this database on first use). */
  run(db: Db, values: V): Promise<QueryResult<R>>;
  /** The compiled SQL and parameters that `run` would send (tests, logs). */
  compile(db: Db, values: V): CompiledQuery<R>;
}

export function prepared<V extends Record<string, unknown>, R>(
  build: (db: Db, values: V) => Compilable<R>,
): PreparedQuery<V, R> {
  // Per database instance: the SQL text depends on the dialect (`?` or `$1`, quoting).
  const cache = new WeakMap<Db, Compiled>();

  function compiledFor(db: Db): Compiled {
    let compiled = cache.get(db);
    if (compiled === undefined) {
      const placeholders = new Proxy({} as V, {
        get: (_target, key) => (typeof key === 'string' ? new Placeholder(key) : undefined),
      });
      const base = build(db, placeholders).compile() as CompiledQuery;
      const slots = base.parameters.map((value) => (value instanceof Placeholder ? value : { constant: value }));
      compiled = { base, slots };
      cache.set(db, compiled);
    }
    return compiled;
  }

  function compile(db: Db, values: V): CompiledQuery<R> {
    const { base, slots } = compiledFor(db);
    const parameters = slots.map((slot) => {
      if (!(slot instanceof Placeholder)) return slot.constant;
      const value = values[slot.key];
      // A forgotten value must fail loudly, never bind `undefined` (which drivers turn into NULL).
      if (value === undefined) throw new Error(`prepared query: no value for "${slot.key}"`);
      return value;
    });
    return { query: base.query, queryId: base.queryId, sql: base.sql, parameters };
  }

  return {
    compile,
    run: (db, values) => db.executeQuery(compile(db, values)),
  };
}
