/**
 * Refresh tokens, one row per token, keyed by its `jti`. Tokens of one login share a `family_id`; reusing a
 * rotated token revokes the whole family (C07). Times are ISO 8601 strings
 * (`Date#toISOString()`), the project's convention: they compare correctly as text on every engine.
 */
export interface RefreshTokensTable {
  jti: string;
  family_id: string;
  user_id: string;
  created_at: string;
  /** When this token stops working (sliding: REFRESH_TOKEN_TTL after it was issued). */
  expires_at: string;
  /** When the family stops working whatever happens (REFRESH_TOKEN_ABSOLUTE_TTL after login). */
  family_expires_at: string;
  /** Set when the token was exchanged for a new pair; a second use is theft. */
  used_at: string | null;
  revoked_at: string | null;
}

declare module '../database/schema.js' {
  interface Database {
    refresh_tokens: RefreshTokensTable;
  }
}
