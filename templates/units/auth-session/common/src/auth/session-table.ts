/**
 * Server-side sessions. The primary key is the SHA-256 of the session id: the id itself (the cookie value)
 * is never stored, so a read of this table (a backup, an SQL injection elsewhere) yields no usable session.
 * Times are ISO 8601 strings, the project's convention.
 */
export interface SessionsTable {
  id_hash: string;
  user_id: string;
  created_at: string;
  /** Idle timeout counts from here (updated at most once a minute). */
  last_seen_at: string;
  /** Absolute timeout: the session ends here however active it is. */
  expires_at: string;
}

declare module '../database/schema.js' {
  interface Database {
    sessions: SessionsTable;
  }
}
