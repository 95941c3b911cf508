/**
 * `npm run apikey:create -- --name <name> --scopes <scope,scope>` (production: `node dist/api-keys/create-key.js`).
 * Prints the new key once; only its SHA-256 is stored. Scopes: items:read, items:write, files:read,
 * files:write, admin.
 */
import { parseArgs } from 'node:util';
import { API_KEY_SCOPES, type ApiKeyScope, parseScopes } from '../auth/api-key-format.js';
import { run, UsageError, withDatabase } from './cli.js';
import { createApiKey } from './repository.js';

run(async () => {
  const { values } = parseArgs({ options: { name: { type: 'string' }, scopes: { type: 'string' } } });
  const name = (values.name ?? '').trim();
  if (name.length === 0 || name.length > 64 || /[\p{Cc}]/u.test(name))
    throw new UsageError('--name is required (at most 64 characters)');
  if (!values.scopes)
    throw new UsageError(`--scopes is required: a comma-separated list of ${API_KEY_SCOPES.join(', ')}`);
  let scopes: ApiKeyScope[];
  try {
    scopes = parseScopes(values.scopes);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const created = await withDatabase((db) => createApiKey(db, { name, scopes }));
  console.log(
    `API key "${name}" (prefix ${created.prefix}, scopes ${scopes.join(' ')}). Shown once, store it now:\n\n  ${created.key}\n`,
  );
  console.log(`Revoke it with: npm run apikey:revoke -- --prefix ${created.prefix}`);
});
