/**
 * `API_KEY_HASHES`: comma-separated `name:sha256hex:scope+scope` entries, for projects without a database (or
 * for a bootstrap key). Only hashes live in the environment; `npm run apikey:create` prints a key and its entry.
 */
import { z } from 'zod';
import { type ApiKeyScope, isScope } from './api-key-format.js';
import type { StoredApiKey } from './key-sources.js';

const NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const HASH = /^[0-9a-f]{64}$/;

function parseEntry(entry: string): StoredApiKey | string {
  const first = entry.indexOf(':');
  const second = entry.indexOf(':', first + 1);
  if (first === -1 || second === -1) return 'entries look like name:sha256hex:scope+scope';
  const name = entry.slice(0, first);
  const hash = entry.slice(first + 1, second).toLowerCase();
  const scopes = entry.slice(second + 1).split('+');
  if (!NAME.test(name)) return 'names are 1-32 lowercase letters, digits, _ or -';
  if (!HASH.test(hash)) return `the hash of "${name}" must be 64 hex digits (SHA-256 of the key)`;
  const bad = scopes.find((scope) => !isScope(scope));
  if (bad !== undefined) return `unknown scope in "${name}"`;
  return { id: `key:${name}`, name, hash: Buffer.from(hash, 'hex'), scopes: scopes as ApiKeyScope[] };
}

/** The setting: parsed and checked at boot, so a typo stops the server instead of locking every client out. */
export const apiKeyHashesSetting = z
  .string()
  .transform((value, ctx) => {
    const keys: StoredApiKey[] = [];
    for (const entry of value
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)) {
      const parsed = parseEntry(entry);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', message: parsed });
        return z.NEVER;
      }
      if (keys.some((key) => key.name === parsed.name)) {
        ctx.addIssue({ code: 'custom', message: `"${parsed.name}" is listed twice` });
        return z.NEVER;
      }
      keys.push(parsed);
    }
    return keys;
  })
  .default([]);
