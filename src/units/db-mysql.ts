import type { Unit } from '../engine/unit.js';
import { tlsEnv } from './db-postgres.js';

/** MySQL 8 / MariaDB (mysql2), pooled, TLS in production. */
export const unit: Unit = {
  id: 'db-mysql',
  title: 'MySQL / MariaDB',
  checklist: ['C09'],
  dependencies: ['mysql2'],
  env: [
    {
      name: 'DATABASE_URL',
      example: 'mysql://root@localhost:3306/app',
      description: 'mysql:// URL; only host, port, user, password, database and ssl-mode are read from it.',
    },
    ...tlsEnv,
  ],
};
