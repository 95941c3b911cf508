/** `npm run apikey:revoke -- --prefix <prefix>`: the key stops working on its next request. */
import { parseArgs } from 'node:util';
import { run, UsageError, withDatabase } from './cli.js';
import { revokeApiKey } from './repository.js';

run(async () => {
  const { values } = parseArgs({ options: { prefix: { type: 'string' } } });
  const prefix = (values.prefix ?? '').trim();
  if (!/^[a-z0-9]{12}$/.test(prefix))
    throw new UsageError('--prefix is required: the 12 characters after sk_ in the key');
  const revoked = await withDatabase((db) => revokeApiKey(db, prefix));
  if (!revoked) throw new UsageError(`no live key has the prefix ${prefix}`);
  console.log(`revoked the key ${prefix}`);
});
