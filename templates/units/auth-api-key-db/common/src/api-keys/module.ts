/**
 * With a database, API keys made by `npm run apikey:create` live in the `api_keys` table; this module adds the
 * table to the key sources of the api-key auth provider (src/auth/), next to API_KEY_HASHES.
 */
import { addKeySource } from '../auth/key-sources.js';
import type { Module } from '../core/types.js';
import { getDb } from '../database/db.js';
import { tableKeySource } from './repository.js';

export const settings = {};

export const module: Module = {
  name: 'api-keys',
  checklist: ['C08'],
  init(app) {
    addKeySource(
      app,
      tableKeySource(() => getDb(app)),
    );
  },
};
