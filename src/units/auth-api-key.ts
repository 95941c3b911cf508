import type { Unit } from '../engine/unit.js';

/**
 * Auth style `api-key`: hashed keys with scopes, from API_KEY_HASHES. With a database the `auth-api-key-db`
 * unit adds the `api_keys` table and the create/revoke scripts that use it (its scripts replace these).
 */
export const unit: Unit = {
  id: 'auth-api-key',
  title: 'Auth: API keys',
  checklist: ['C08', 'C14', 'C21'],
  dependencies: ['zod'],
  env: [
    {
      name: 'API_KEY_HASHES',
      example: '',
      description: 'Comma-separated `name:sha256hex:scope+scope` entries; `npm run apikey:create` prints one',
    },
  ],
  scripts: { 'apikey:create': 'tsx src/auth/create-key.ts' },
  module: 'auth/module',
  order: 30,
};
