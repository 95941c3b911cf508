/**
 * Session rows (see session-table.ts). Why a database table and not `app.store`: sessions must survive a
 * restart or deploy (Heroku restarts dynos daily) and must not fall back to per-process memory when Redis has
 * an outage, which the shared store does by design for counters. The table gives both, on every engine, and
 * lets a user's sessions be listed and ended together. The cost is one primary-key read per request.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../database/schema.js';
import type { Role } from '../users/validators.js';
import './session-table.js';

export interface LiveSession {
  idHash: string;
  userId: string;
  role: Role;
  lastSeenAt: number;
  expiresAt: number;
}

export async function createSession(
  db: Kysely<Database>,
  row: { idHash: string; userId: string; now: number; expiresAt: number },
): Promise<void> {
  const now = new Date(row.now).toISOString();
  await db
    .insertInto('sessions')
    .values({
      id_hash: row.idHash,
      user_id: row.userId,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(row.expiresAt).toISOString(),
    })
    .execute();
}

/** The session and its user's current role (a role change applies at once), or undefined. */
export async function findSession(db: Kysely<Database>, idHash: string): Promise<LiveSession | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id_hash', 'sessions.user_id', 'sessions.last_seen_at', 'sessions.expires_at', 'users.role'])
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    idHash: row.id_hash,
    userId: row.user_id,
    role: row.role,
    lastSeenAt: Date.parse(row.last_seen_at),
    expiresAt: Date.parse(row.expires_at),
  };
}

export async function touchSession(db: Kysely<Database>, idHash: string, now: number): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: new Date(now).toISOString() })
    .where('id_hash', '=', idHash)
    .execute();
}

export async function deleteSession(db: Kysely<Database>, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteExpiredSessions(db: Kysely<Database>, idleMs: number): Promise<void> {
  const now = Date.now();
  await db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([
        eb('expires_at', '<', new Date(now).toISOString()),
        eb('last_seen_at', '<', new Date(now - idleMs).toISOString()),
      ]),
    )
    .execute();
}
