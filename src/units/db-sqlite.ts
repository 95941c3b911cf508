import type { Unit } from '../engine/unit.js';

/** SQLite (better-sqlite3): embedded, one file, no server. The default engine. */
export const unit: Unit = {
  id: 'db-sqlite',
  title: 'SQLite',
  checklist: ['C09'],
  dependencies: ['better-sqlite3'],
  devDependencies: ['@types/better-sqlite3'],
  env: [
    {
      name: 'DATABASE_URL',
      example: 'file:./data/app.db',
      description: 'SQLite file (`file:./data/app.db`); Heroku’s disk is ephemeral, so use postgres there.',
    },
  ],
};
