/**
 * A bounded LRU of access tokens whose signature and claims `jose` has already checked. Verifying an HS256
 * JWT with `jose` costs tens of microseconds, more than a whole bare request; a hit here costs one SHA-256 and
 * a Map lookup. Entries end at the token's own `exp`, and revocation is still checked on every request by
 * the caller (by `jti`), so the cache can only skip work that would give the same answer.
 *
 * Keys are SHA-256 digests of the token, so the cache holds no usable credential.
 */
import { createHash } from 'node:crypto';
import type { AccessClaims } from './tokens.js';

export class VerifiedTokenCache {
  private readonly entries = new Map<string, AccessClaims>();

  constructor(private readonly maxEntries = 10_000) {}

  static keyOf(token: string): string {
    return createHash('sha256').update(token).digest('base64url');
  }

  get(key: string, nowSeconds: number): AccessClaims | undefined {
    const claims = this.entries.get(key);
    if (claims === undefined) return undefined;
    this.entries.delete(key);
    if (claims.exp <= nowSeconds) return undefined;
    // Re-insert: Map order is insertion order, so the least recently used entry stays first.
    this.entries.set(key, claims);
    return claims;
  }

  set(key: string, claims: AccessClaims): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, claims);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
