/** API keys made by `npm run apikey:create`: the SHA-256 of the key only, never the key. ISO 8601 times. */
export interface ApiKeysTable {
  id: string;
  name: string;
  /** Public, unique: finds the row without scanning, names the key in logs and for `apikey:revoke`. */
  prefix: string;
  /** SHA-256 of the whole key, hex. */
  key_hash: string;
  /** Space-separated scopes. */
  scopes: string;
  created_at: string;
  revoked_at: string | null;
}

declare module '../database/schema.js' {
  interface Database {
    api_keys: ApiKeysTable;
  }
}
