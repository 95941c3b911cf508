import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';

/**
 * Case-insensitive "contains" with LIKE, the user's text matched literally (C10): `%` and `_` typed by a user
 * are not wildcards. `!` is the escape character because it means nothing special in any engine's string
 * syntax, unlike the backslash (MySQL treats it as an escape inside literals, PostgreSQL as LIKE's default).
 * The term travels as a bound parameter; only the fixed `escape '!'` is SQL text.
 */
export function escapeLike(term: string): string {
  return term.replace(/[!%_]/g, (c) => `!${c}`);
}

export function containsInsensitive(column: Expression<unknown>, term: string): RawBuilder<SqlBool> {
  const pattern = `%${escapeLike(term)}%`;
  return sql<SqlBool>`lower(${column}) like lower(${pattern}) escape '!'`;
}
