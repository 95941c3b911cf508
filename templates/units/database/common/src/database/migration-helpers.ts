import { type CreateTableBuilder, type Kysely, MysqlAdapter, sql } from 'kysely';

/**
 * `create table if not exists`, the same on every engine, except that MySQL/MariaDB tables are created as
 * utf8mb4 whatever the server's default (MariaDB before 11.6 defaults to latin1, where an emoji in a title
 * would fail the insert). Use it in every migration that creates a table.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations work on the schema as it is, not as typed.
export function createTable(db: Kysely<any>, name: string): CreateTableBuilder<string, never> {
  const builder = db.schema.createTable(name).ifNotExists();
  return db.getExecutor().adapter instanceof MysqlAdapter
    ? builder.modifyEnd(sql`default character set utf8mb4 collate utf8mb4_unicode_ci`)
    : builder;
}

/** Column types shared by every migration, so that the engines agree. */
export const columns = {
  /** crypto.randomUUID() */
  id: 'varchar(36)',
  /** Date#toISOString(): sorts as text in every engine */
  timestamp: 'varchar(32)',
} as const;
