/**
 * API key authentication (C08): `X-API-Key: <key>` or `Authorization: Bearer <key>`. The key's SHA-256 is
 * compared with every candidate in constant time (no early exit, `timingSafeEqual`), so timing tells nothing
 * about how much of a guess matched. Each key is its own principal; its scopes decide what it may do, and the
 * `admin` scope makes it an admin.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AppContext, AuthProvider, Principal } from '../core/types.js';
import { apiKeyPrefix } from './api-key-format.js';
import { keySources, type StoredApiKey } from './key-sources.js';

const BEARER = /^Bearer +(\S+)$/i;

/** The key a request carries, from X-API-Key or a Bearer Authorization header; never from the query string. */
export function presentedKey(req: IncomingMessage): string | null {
  const header = req.headers['x-api-key'];
  if (typeof header === 'string' && header.length > 0) return header.trim();
  const authorization = req.headers.authorization;
  if (authorization === undefined || authorization.length > 512) return null;
  return BEARER.exec(authorization.trim())?.[1] ?? null;
}

function toPrincipal(key: StoredApiKey): Principal {
  return {
    id: key.id,
    kind: 'apikey',
    role: key.scopes.includes('admin') ? 'admin' : 'user',
    scopes: [...key.scopes],
    credentialId: key.id,
  };
}

export function apiKeyProvider(app: AppContext): AuthProvider {
  return {
    challenge: 'Bearer',
    async authenticate(req) {
      const key = presentedKey(req);
      if (key === null) return null;
      const prefix = apiKeyPrefix(key);
      if (prefix === null) {
        app.log.warn(
          { event: 'auth_failed', reason: 'malformed_api_key', requestId: req.edge?.id },
          'malformed API key',
        );
        return null;
      }
      const digest = createHash('sha256').update(key).digest();
      let match: StoredApiKey | undefined;
      for (const source of keySources(app)) {
        for (const candidate of await source.candidates(prefix)) {
          // Every candidate is compared, even after a match: the loop's length does not depend on the key.
          if (candidate.hash.length === digest.length && timingSafeEqual(candidate.hash, digest) && !match)
            match = candidate;
        }
      }
      if (!match) {
        app.log.warn(
          { event: 'auth_failed', reason: 'unknown_api_key', keyPrefix: prefix, requestId: req.edge?.id },
          'unknown API key',
        );
        return null;
      }
      return toPrincipal(match);
    },
    async stillValid(principal) {
      if (!principal.credentialId) return false;
      for (const source of keySources(app)) if (await source.stillValid(principal.credentialId)) return true;
      return false;
    },
  };
}
