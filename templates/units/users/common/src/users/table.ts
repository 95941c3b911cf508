/**
 * The `users` table, added to the app's Kysely `Database` interface. Times are ISO 8601 strings in UTC: the
 * same text in SQLite, PostgreSQL and MySQL, sortable, and exactly what the API returns.
 */
import type { Role } from './validators.js';

export interface UsersTable {
  id: string;
  /** Lower-cased at the edge of the app, so uniqueness is case-insensitive on every engine. */
  email: string;
  display_name: string | null;
  /** PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`). Never leaves this module's repository. */
  password_hash: string;
  role: Role;
  created_at: string;
}

declare module '../database/schema.js' {
  interface Database {
    users: UsersTable;
  }
}
