/** The `items` table, added to the app's Kysely `Database` interface (see database/schema.ts). */
export interface ItemsTable {
  /** crypto.randomUUID(), made by the server. */
  id: string;
  /** `Principal.id` of the creator: a user id, an API key id, or the anonymous principal with auth `none`. */
  owner_id: string;
  /** Sanitised text (tags stripped, `<>&` escaped). */
  title: string;
  /** Sanitised HTML with every tag stripped (C17); null when absent. */
  description: string | null;
  /** ISO 8601, UTC. */
  created_at: string;
  updated_at: string;
}

declare module '../database/schema.js' {
  interface Database {
    items: ItemsTable;
  }
}
