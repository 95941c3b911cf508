/**
 * Refresh token rotation (C07). Each refresh token is used once: exchanging it marks it used and issues the
 * next one of the same family. Presenting a used token again means someone else holds a copy, so the whole
 * family is revoked (the thief's and the owner's tokens alike) and the user signs in again.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../database/schema.js';
import './refresh-table.js';

export type RotateOutcome =
  | { ok: true; userId: string; familyExpiresAt: number }
  | { ok: false; reason: 'unknown' | 'revoked' | 'expired' | 'reused' };

export async function recordRefreshToken(
  db: Kysely<Database>,
  row: { jti: string; familyId: string; userId: string; expiresAt: number; familyExpiresAt: number },
): Promise<void> {
  await db
    .insertInto('refresh_tokens')
    .values({
      jti: row.jti,
      family_id: row.familyId,
      user_id: row.userId,
      created_at: new Date().toISOString(),
      expires_at: new Date(row.expiresAt).toISOString(),
      family_expires_at: new Date(row.familyExpiresAt).toISOString(),
      used_at: null,
      revoked_at: null,
    })
    .execute();
}

export async function revokeFamily(db: Kysely<Database>, familyId: string): Promise<void> {
  await db
    .updateTable('refresh_tokens')
    .set({ revoked_at: new Date().toISOString() })
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Spend the refresh token `jti` (claimed by `userId`, family `familyId`). */
export async function spendRefreshToken(
  db: Kysely<Database>,
  claims: { jti: string; userId: string; familyId: string },
): Promise<RotateOutcome> {
  const row = await db.selectFrom('refresh_tokens').selectAll().where('jti', '=', claims.jti).executeTakeFirst();
  if (!row || row.user_id !== claims.userId || row.family_id !== claims.familyId)
    return { ok: false, reason: 'unknown' };
  if (row.revoked_at !== null) return { ok: false, reason: 'revoked' };
  if (row.used_at !== null) return { ok: false, reason: 'reused' };
  const now = Date.now();
  const familyExpiresAt = Date.parse(row.family_expires_at);
  if (Date.parse(row.expires_at) <= now || familyExpiresAt <= now) return { ok: false, reason: 'expired' };
  // Conditional update: of two concurrent uses, exactly one wins; the other is a reuse.
  const result = await db
    .updateTable('refresh_tokens')
    .set({ used_at: new Date(now).toISOString() })
    .where('jti', '=', claims.jti)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return { ok: false, reason: 'reused' };
  return { ok: true, userId: row.user_id, familyExpiresAt };
}

/** Forget families that can no longer be used by anyone. */
export async function deleteExpiredRefreshTokens(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('refresh_tokens').where('family_expires_at', '<', new Date().toISOString()).execute();
}
