/**
 * Where API keys come from. `API_KEY_HASHES` (environment) is always one source; with a database, the
 * api-keys module adds the `api_keys` table (keys made by `npm run apikey:create`). A source finds a key by
 * its SHA-256; the auth provider compares the digests in constant time.
 */
import type { AppContext } from '../core/types.js';
import type { ApiKeyScope } from './api-key-format.js';

export interface StoredApiKey {
  /** Principal id: each key owns what it creates. */
  id: string;
  name: string;
  /** SHA-256 of the whole key (32 bytes). */
  hash: Buffer;
  scopes: ApiKeyScope[];
}

export interface KeySource {
  /** Candidates for a key with this public prefix (a source without prefixes returns all its keys). */
  candidates(prefix: string): Promise<readonly StoredApiKey[]>;
  /** Is the key with this id still usable (not revoked)? For long-lived connections. */
  stillValid(id: string): Promise<boolean>;
}

const sources = new WeakMap<AppContext, KeySource[]>();

export function addKeySource(app: AppContext, source: KeySource): void {
  const list = sources.get(app) ?? [];
  list.push(source);
  sources.set(app, list);
}

export function keySources(app: AppContext): readonly KeySource[] {
  return sources.get(app) ?? [];
}

/** A fixed list of keys (API_KEY_HASHES, or keys a test adds). */
export function staticKeySource(keys: readonly StoredApiKey[]): KeySource {
  return {
    candidates: async () => keys,
    stillValid: async (id) => keys.some((key) => key.id === id),
  };
}
