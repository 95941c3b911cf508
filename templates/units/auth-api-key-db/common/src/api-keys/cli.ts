/** What the apikey scripts share: settings and a database connection, as `npm run migrate` does it. */
import { existsSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { settings as coreSettings } from '../core/module.js';
import { loadSettings } from '../core/settings.js';
import { createDb } from '../database/db.js';
import { module as database, settings as databaseSettings } from '../database/module.js';
import type { Database } from '../database/schema.js';

export class UsageError extends Error {}

export async function withDatabase<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  if (process.env.NODE_ENV !== 'production' && existsSync('.env')) process.loadEnvFile('.env');
  const settings = loadSettings(process.env, { NODE_ENV: coreSettings.NODE_ENV, ...databaseSettings }, [database]);
  const db = createDb(settings, { rawErrors: true });
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

export function run(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}
