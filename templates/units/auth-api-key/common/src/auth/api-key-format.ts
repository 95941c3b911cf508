/**
 * API keys look like `sk_<prefix>_<secret>`: a 12-character public prefix (names the key in logs, listings and
 * `apikey:revoke`) and 256 random bits of secret. Only the SHA-256 of the whole key is stored. A fast hash is
 * right for this input, unlike for passwords: the key is already 256 random bits, so there is no dictionary
 * to try and nothing that key stretching would add, and the check stays in the microseconds per request.
 */
import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_SCOPES = ['items:read', 'items:write', 'files:read', 'files:write', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

const PREFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const KEY_PATTERN = /^sk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface NewApiKey {
  key: string;
  prefix: string;
  /** SHA-256 of the whole key, hex. */
  hash: string;
}

function randomPrefix(length: number): string {
  let out = '';
  while (out.length < length) {
    // 36 does not divide 256: bytes from 252 up are skipped so every character is equally likely.
    for (const byte of randomBytes(length * 2))
      if (byte < 252 && out.length < length) out += PREFIX_ALPHABET[byte % 36];
  }
  return out;
}

export function generateApiKey(): NewApiKey {
  const prefix = randomPrefix(12);
  const key = `sk_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/** The public prefix of a well-formed key, or null for anything else. */
export function apiKeyPrefix(key: string): string | null {
  return KEY_PATTERN.exec(key)?.[1] ?? null;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function isScope(value: string): value is ApiKeyScope {
  return (API_KEY_SCOPES as readonly string[]).includes(value);
}

/** `items:read,items:write` or `items:read+items:write` → scopes; throws on an unknown one. */
export function parseScopes(value: string): ApiKeyScope[] {
  const scopes = value
    .split(/[,+\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const valid: ApiKeyScope[] = [];
  for (const scope of scopes) {
    if (!isScope(scope)) throw new Error(`unknown scope "${scope}" (valid: ${API_KEY_SCOPES.join(', ')})`);
    if (!valid.includes(scope)) valid.push(scope);
  }
  if (valid.length === 0) throw new Error(`at least one scope is required (valid: ${API_KEY_SCOPES.join(', ')})`);
  return valid;
}
