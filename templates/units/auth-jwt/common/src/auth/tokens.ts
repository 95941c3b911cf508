/**
 * Signing and verifying JWTs with `jose` (C07). The algorithm is pinned to HS256 on both sides, so `alg: none`
 * (any casing), RS/HS confusion and other algorithms are refused by `jose` before any claim is read. Every
 * token carries `iss`, `aud`, `sub`, `jti`, `iat`, `exp` and a token use: the `typ` header (`at+jwt` per
 * RFC 9068, `rt+jwt` for refresh) and the `token_use` claim must both match, so a refresh token is never
 * accepted as an access token or the other way round.
 */
import { randomUUID } from 'node:crypto';
import { type CryptoKey, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { Role } from '../users/validators.js';

const ALG = 'HS256';

export type TokenUse = 'access' | 'refresh';
const TYP: Record<TokenUse, string> = { access: 'at+jwt', refresh: 'rt+jwt' };

export interface TokenConfig {
  key: CryptoKey;
  issuer: string;
  audience: string;
}

export interface AccessClaims {
  sub: string;
  jti: string;
  /** Refresh family this token was issued in: logout and reuse detection revoke the family. */
  fid: string;
  role: Role;
  /** Seconds since the epoch. */
  exp: number;
}

export interface RefreshClaims {
  sub: string;
  jti: string;
  fid: string;
  exp: number;
}

/** Imported once at boot: `jose` then skips the per-call key import (about half its cost). */
export async function importSecret(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

export async function signToken(
  config: TokenConfig,
  use: TokenUse,
  claims: { sub: string; fid: string; role?: Role },
  ttlSeconds: number,
): Promise<{ token: string; jti: string; exp: number }> {
  const now = Math.floor(Date.now() / 1000);
  const jti = randomUUID();
  const exp = now + ttlSeconds;
  const payload: JWTPayload = { token_use: use, fid: claims.fid };
  if (claims.role) payload.role = claims.role;
  const token = await new SignJWT(payload)
    .setProtectedHeader({ alg: ALG, typ: TYP[use] })
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setSubject(claims.sub)
    .setJti(jti)
    .setIssuedAt(now)
    .setExpirationTime(exp)
    .sign(config.key);
  return { token, jti, exp };
}

const REQUIRED = ['exp', 'iat', 'iss', 'aud', 'sub', 'jti'];

async function verify(config: TokenConfig, use: TokenUse, token: string): Promise<JWTPayload | null> {
  try {
    const { payload } = await jwtVerify(token, config.key, {
      algorithms: [ALG],
      issuer: config.issuer,
      audience: config.audience,
      typ: TYP[use],
      requiredClaims: REQUIRED,
    });
    if (payload.token_use !== use) return null;
    if (typeof payload.sub !== 'string' || typeof payload.jti !== 'string' || typeof payload.fid !== 'string')
      return null;
    return payload;
  } catch {
    // Malformed, wrong signature, wrong claims, expired, not yet valid: all the same to the caller.
    return null;
  }
}

export async function verifyAccessToken(config: TokenConfig, token: string): Promise<AccessClaims | null> {
  const payload = await verify(config, 'access', token);
  if (!payload || (payload.role !== 'user' && payload.role !== 'admin')) return null;
  return {
    sub: payload.sub as string,
    jti: payload.jti as string,
    fid: payload.fid as string,
    role: payload.role,
    exp: payload.exp as number,
  };
}

export async function verifyRefreshToken(config: TokenConfig, token: string): Promise<RefreshClaims | null> {
  const payload = await verify(config, 'refresh', token);
  if (!payload) return null;
  return {
    sub: payload.sub as string,
    jti: payload.jti as string,
    fid: payload.fid as string,
    exp: payload.exp as number,
  };
}
