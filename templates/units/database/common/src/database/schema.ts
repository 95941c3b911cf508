/**
 * The tables of this project, as Kysely sees them. Empty here on purpose: each unit that owns a table adds it
 * by declaration merging, next to its own code, so that adding or removing a unit never edits this file:
 *
 *   declare module '../database/schema.js' {
 *     interface Database { items: ItemsTable }
 *   }
 *
 * Column types are dialect-neutral: ids are `crypto.randomUUID()` strings (varchar(36)), timestamps are ISO-8601
 * strings (varchar(32)), so the same queries and migrations run on SQLite, PostgreSQL and MySQL/MariaDB.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging from each unit.
export interface Database {}
