/**
 * `npm run migrate` (tsx, from src) and the Heroku release phase `node dist/db/migrate.js` (C24): apply every
 * pending migration, then exit. Safe to run again; prints what it applied, never a credential.
 */
import { existsSync } from 'node:fs';
import { settings as coreSettings } from '../core/module.js';
import { loadSettings, SettingsError } from '../core/settings.js';
import { DatabaseBootError } from '../database/boot-error.js';
import { createDb, ping } from '../database/db.js';
import { migrateToLatest } from '../database/migrator.js';
import { module as database, settings as databaseSettings } from '../database/module.js';
import { describeTarget } from '../database/target.js';

// Only what migrating needs: a release must not fail on, say, a missing METRICS_TOKEN it never reads.
const shape = { NODE_ENV: coreSettings.NODE_ENV, ...databaseSettings };

const MIGRATION_STATEMENT_TIMEOUT_MS = 600_000;

async function main(): Promise<number> {
  // `.env` is for development only (C22); platforms set real environment variables.
  if (process.env.NODE_ENV !== 'production' && existsSync('.env')) process.loadEnvFile('.env');
  const settings = loadSettings(process.env, shape, [database]);
  // DDL on a large table may legitimately run for minutes: the per-request statement limit does not apply.
  const db = createDb(
    { ...settings, DATABASE_STATEMENT_TIMEOUT_MS: MIGRATION_STATEMENT_TIMEOUT_MS },
    { rawErrors: true },
  );
  try {
    try {
      await ping(db, 10_000);
    } catch (error) {
      throw new DatabaseBootError(error, settings.DATABASE_URL);
    }
    const { applied } = await migrateToLatest(db);
    for (const name of applied) console.log(`applied ${name}`);
    console.log(`${describeTarget(settings.DATABASE_URL)} is up to date (${applied.length} applied now)`);
    return 0;
  } finally {
    await db.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Operational failures get one line; they are not bugs, a stack trace would only hide the message.
    if (error instanceof SettingsError) console.error(error.message);
    else console.error(`migrate failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
