import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Kysely } from 'kysely';
import { FileMigrationProvider, Migrator } from 'kysely/migration';

/**
 * Migrations live in `src/database/migrations/` (compiled to `dist/database/migrations/`), one file per change,
 * named `NNNN_what.ts` so that units sort: `0001_users`, `0010_items`, `0020_files`… Each unit ships its own.
 * Resolving the folder from this file's URL works from `src` (tsx, vitest) and from `dist` (`node dist/db/migrate.js`).
 */
const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations/', import.meta.url));

// biome-ignore lint/suspicious/noExplicitAny: migrations work on the schema as it is, not as typed.
export function createMigrator(db: Kysely<any>, folder = MIGRATIONS_FOLDER): Migrator {
  return new Migrator({
    db,
    provider: new FileMigrationProvider({
      fs: {
        // No migrations folder (no unit with a table yet) means nothing to do, not a failure.
        readdir: (dir) =>
          fs
            .readdir(dir)
            .catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error))),
      },
      path,
      migrationFolder: folder,
      // Imported from here (not from inside kysely) so that tsx and vitest can load `.ts` migrations.
      import: (file) => import(pathToFileURL(file).href),
    }),
    // Units added later (`secure-api generate uploads`) bring migrations that sort before ones already run.
    allowUnorderedMigrations: true,
  });
}

export interface MigrationReport {
  applied: string[];
}

/** Apply every pending migration. Safe to run twice and from several instances at once (Kysely takes a lock). */
// biome-ignore lint/suspicious/noExplicitAny: see createMigrator.
export async function migrateToLatest(db: Kysely<any>, folder?: string): Promise<MigrationReport> {
  const { error, results = [] } = await createMigrator(db, folder).migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(failed ? `migration ${failed} failed: ${reason}` : `migrations failed: ${reason}`);
  }
  return { applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
