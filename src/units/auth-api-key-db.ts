import type { Unit } from '../engine/unit.js';

/** API keys in the database (auth `api-key` with a database): the `api_keys` table, create and revoke scripts. */
export const unit: Unit = {
  id: 'auth-api-key-db',
  title: 'API keys table',
  checklist: ['C08', 'C10'],
  dependencies: ['kysely'],
  scripts: {
    'apikey:create': 'tsx src/api-keys/create-key.ts',
    'apikey:revoke': 'tsx src/api-keys/revoke-key.ts',
  },
  module: 'api-keys/module',
  // After auth (30): its scripts replace the environment-only `apikey:create`.
  order: 31,
};
