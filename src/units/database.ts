import type { Unit } from '../engine/unit.js';

/**
 * The engine-neutral database layer: Kysely, the module (connect, readiness, 503 while down, close), the
 * migrator and `src/db/migrate.ts` (Procfile `release:`). Always planned together with one `db-<engine>` unit,
 * which adds `src/database/dialect.ts` and `test/helpers/database.ts`.
 */
export const unit: Unit = {
  id: 'database',
  title: 'Database (Kysely)',
  checklist: ['C09', 'C10', 'C11', 'C24', 'C27', 'C33'],
  dependencies: ['kysely'],
  devDependencies: ['tsx'],
  env: [
    {
      name: 'DATABASE_POOL_MAX',
      example: '10',
      description: 'Most open database connections per process (mind your plan’s connection limit).',
    },
    {
      name: 'DATABASE_STATEMENT_TIMEOUT_MS',
      example: '5000',
      description: 'A statement running longer is cancelled by the database (SQLite: how long to wait on a lock).',
    },
  ],
  scripts: {
    migrate: 'tsx src/db/migrate.ts',
    // `npm run dev` on a fresh checkout works without a separate step; production migrates in the release phase.
    predev: 'tsx src/db/migrate.ts',
  },
  module: 'database/module',
  order: 20,
};
