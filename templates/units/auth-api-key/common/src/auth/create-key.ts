/**
 * `npm run apikey:create -- --name <name> --scopes <scope,scope>` for projects without a database: prints a new
 * key (once: it is not stored anywhere) and the `API_KEY_HASHES` entry that makes the server accept it.
 */
import { parseArgs } from 'node:util';
import { API_KEY_SCOPES, generateApiKey, parseScopes } from './api-key-format.js';

function main(): void {
  const { values } = parseArgs({ options: { name: { type: 'string' }, scopes: { type: 'string' } } });
  const name = values.name ?? '';
  if (!/^[a-z0-9][a-z0-9_-]{0,31}$/.test(name))
    throw new Error('--name is required: 1-32 lowercase letters, digits, _ or -');
  if (!values.scopes) throw new Error(`--scopes is required: a comma-separated list of ${API_KEY_SCOPES.join(', ')}`);
  const scopes = parseScopes(values.scopes);
  const { key, hash } = generateApiKey();
  console.log(`API key for ${name} (shown once, store it now):\n\n  ${key}\n`);
  console.log(
    `Add this entry to API_KEY_HASHES (comma-separated with any others):\n\n  ${name}:${hash}:${scopes.join('+')}\n`,
  );
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}
