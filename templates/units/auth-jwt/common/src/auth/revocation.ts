/**
 * Revocation marks in the shared store (`app.store`: Redis when REDIS_URL is set, so every instance sees a
 * logout at once). A mark lives only as long as the tokens it kills could, so the store stays small.
 * Revocation is by `jti` and by refresh family (`fid`), never by hashing the raw token string.
 */
import type { Store } from '../core/store.js';

const jtiKey = (jti: string) => `jwt:revoked:${jti}`;
const familyKey = (fid: string) => `jwt:family-revoked:${fid}`;

export async function isRevoked(store: Store, jti: string, fid: string): Promise<boolean> {
  const [byJti, byFamily] = await Promise.all([store.get(jtiKey(jti)), store.get(familyKey(fid))]);
  return byJti !== null || byFamily !== null;
}

/** Until the token's own expiry (`exp`, seconds since the epoch). */
export async function revokeAccessToken(store: Store, jti: string, exp: number): Promise<void> {
  const ttlMs = exp * 1000 - Date.now() + 1000;
  if (ttlMs > 0) await store.set(jtiKey(jti), '1', ttlMs);
}

/** Every access token of the family, for as long as any of them can live. */
export async function revokeFamilyAccessTokens(store: Store, fid: string, accessTtlSeconds: number): Promise<void> {
  await store.set(familyKey(fid), '1', (accessTtlSeconds + 1) * 1000);
}
