/**
 * Auth style `api-key` (C08): hashed keys with scopes. Keys come from API_KEY_HASHES and, with a database,
 * from the `api_keys` table (see src/api-keys/). There are no user or login routes.
 */
import type { Module } from '../core/types.js';
import { apiKeyProvider } from './api-key-auth.js';
import { apiKeyHashesSetting } from './env-keys.js';
import { addKeySource, staticKeySource } from './key-sources.js';

export const settings = {
  /** Comma-separated `name:sha256hex:scope+scope` entries (`npm run apikey:create` prints one). */
  API_KEY_HASHES: apiKeyHashesSetting,
};

export const module: Module = {
  name: 'auth-api-key',
  checklist: ['C08'],
  init(app) {
    if (app.settings.API_KEY_HASHES.length > 0) addKeySource(app, staticKeySource(app.settings.API_KEY_HASHES));
    app.auth = apiKeyProvider(app);
  },
};
