/**
 * The JWT auth style at run time: issuing token pairs, resolving a bearer token to a principal (C05, C07, C08).
 *
 * Request path: parse `Authorization: Bearer`, look the token up in the verified-token LRU (a miss runs
 * `jose`'s full verification and fills it), then check the `jti` and family revocation marks in the shared
 * store on every request. Claims come from the token; the user's role is re-read only when tokens are issued,
 * so a role change takes effect within ACCESS_TOKEN_TTL.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AppContext, AuthProvider, Principal } from '../core/types.js';
import { type Db, getDb } from '../database/db.js';
import { userPrincipal } from '../users/principal.js';
import type { Role } from '../users/validators.js';
import { bearerToken } from './bearer.js';
import { recordRefreshToken } from './refresh-store.js';
import { isRevoked } from './revocation.js';
import { type AccessClaims, signToken, type TokenConfig, verifyAccessToken } from './tokens.js';
import { VerifiedTokenCache } from './verified-cache.js';

export interface JwtTtls {
  access: number;
  refresh: number;
  refreshAbsolute: number;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token: string;
}

export class JwtAuth {
  readonly cache = new VerifiedTokenCache();

  constructor(
    readonly app: AppContext,
    readonly config: TokenConfig,
    readonly ttls: JwtTtls,
  ) {}

  get db(): Db {
    return getDb(this.app);
  }

  /** A new access + refresh pair. `family` is omitted at login (new family) and given when rotating. */
  async issue(user: { id: string; role: Role }, family?: { id: string; expiresAt: number }): Promise<TokenResponse> {
    const now = Date.now();
    const fid = family?.id ?? randomUUID();
    const familyExpiresAt = family?.expiresAt ?? now + this.ttls.refreshAbsolute * 1000;
    // A rotated token never outlives its family's absolute lifetime.
    const refreshTtl = Math.max(1, Math.min(this.ttls.refresh, Math.floor((familyExpiresAt - now) / 1000)));
    const [access, refresh] = await Promise.all([
      signToken(this.config, 'access', { sub: user.id, fid, role: user.role }, this.ttls.access),
      signToken(this.config, 'refresh', { sub: user.id, fid }, refreshTtl),
    ]);
    await recordRefreshToken(this.db, {
      jti: refresh.jti,
      familyId: fid,
      userId: user.id,
      expiresAt: refresh.exp * 1000,
      familyExpiresAt,
    });
    return {
      access_token: access.token,
      token_type: 'bearer',
      expires_in: this.ttls.access,
      refresh_token: refresh.token,
    };
  }

  /** Signature and claims, with the LRU in front of `jose`. Revocation is not checked here. */
  async verifiedClaims(token: string): Promise<AccessClaims | null> {
    const key = VerifiedTokenCache.keyOf(token);
    const cached = this.cache.get(key, Math.floor(Date.now() / 1000));
    if (cached) return cached;
    const claims = await verifyAccessToken(this.config, token);
    if (claims) this.cache.set(key, claims);
    return claims;
  }

  provider(): AuthProvider {
    return {
      challenge: 'Bearer',
      authenticate: async (req: IncomingMessage): Promise<Principal | null> => {
        const token = bearerToken(req.headers.authorization);
        if (token === null) return null;
        const claims = await this.verifiedClaims(token);
        if (!claims) {
          this.app.log.warn(
            { event: 'auth_failed', reason: 'invalid_token', requestId: req.edge?.id },
            'invalid bearer token',
          );
          return null;
        }
        if (await isRevoked(this.app.store, claims.jti, claims.fid)) {
          this.app.log.warn(
            { event: 'auth_failed', reason: 'revoked_token', requestId: req.edge?.id },
            'revoked bearer token',
          );
          return null;
        }
        return userPrincipal(
          { id: claims.sub, role: claims.role },
          { credentialId: `${claims.fid}.${claims.jti}`, expiresAt: claims.exp * 1000 },
        );
      },
      stillValid: async (principal: Principal): Promise<boolean> => {
        if (principal.expiresAt !== undefined && principal.expiresAt <= Date.now()) return false;
        const [fid, jti] = (principal.credentialId ?? '').split('.');
        if (!fid || !jti) return false;
        return !(await isRevoked(this.app.store, jti, fid));
      },
    };
  }
}

/** `credentialId` of a JWT principal → its family and token ids (for logout). */
export function credentialParts(principal: Principal): { fid: string; jti: string } | null {
  const [fid, jti] = (principal.credentialId ?? '').split('.');
  return fid && jti ? { fid, jti } : null;
}
