import type { Answers } from '../engine/answers.js';
import type { Unit } from '../engine/unit.js';
import { unit as apiKeyAuth } from './auth-api-key.js';
import { unit as apiKeyTable } from './auth-api-key-db.js';
import { unit as jwtAuth } from './auth-jwt.js';
import { unit as noAuth } from './auth-none.js';
import { unit as sessionAuth } from './auth-session.js';
import { unit as core } from './core.js';
import { unit as database } from './database.js';
import { unit as dbMysql } from './db-mysql.js';
import { unit as dbNone } from './db-none.js';
import { unit as dbPostgres } from './db-postgres.js';
import { unit as dbSqlite } from './db-sqlite.js';
import { unit as docs } from './docs.js';
import { unit as items } from './items.js';
import { unit as loadtest } from './loadtest.js';
import { unit as metrics } from './metrics.js';
import { unit as redis } from './redis.js';
import { unit as uploads } from './uploads.js';
import { unit as users } from './users.js';
import { unit as waf } from './waf.js';
import { unit as websocket } from './websocket.js';

/** Every unit, by id. A new unit: its folder under templates/units, its declaration here. */
export const units: Record<string, Unit> = Object.fromEntries(
  [
    core, loadtest, database, dbSqlite, dbPostgres, dbMysql, dbNone, users, jwtAuth, sessionAuth, apiKeyAuth, apiKeyTable, noAuth,
    items, waf, uploads, websocket, docs, metrics, redis,
  ].map((u) => [u.id, u]),
);

/** Which units a set of answers selects, in registry order. */
export function unitsFor(answers: Pick<Answers, 'auth' | 'database' | 'features'>): Unit[] {
  const ids = ['core', 'loadtest'];
  if (answers.database === 'none') ids.push('db-none');
  else ids.push('database', `db-${answers.database}`, 'items');
  if (answers.auth === 'jwt' || answers.auth === 'session') ids.push('users');
  ids.push(`auth-${answers.auth}`);
  // API keys made by `apikey:create` live in the database when there is one (else only API_KEY_HASHES).
  if (answers.auth === 'api-key' && answers.database !== 'none') ids.push('auth-api-key-db');
  ids.push(...answers.features);
  return ids
    .map((id) => {
      const unit = units[id];
      if (!unit) throw new Error(`Unknown unit ${id}`);
      return unit;
    })
    .sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
}
