/**
 * The database module (C09, C10, C11, C27, C33): one pooled Kysely instance for the chosen engine, reachable as
 * `getDb(app)`. Every query in every unit goes through Kysely, so values are always bound parameters (C10);
 * raw SQL only through Kysely's `sql` tag. The engine-specific part is `./dialect.ts` (one per engine unit).
 */
import type { AppContext, Module } from '../core/types.js';
import { DatabaseBootError } from './boot-error.js';
import { createDb, getDb, ping } from './db.js';
import { engine, productionIssues, urlSetting } from './dialect.js';
import { databaseSettings } from './settings.js';
import { describeTarget } from './target.js';

export const settings = {
  DATABASE_URL: urlSetting,
  ...databaseSettings,
};

/** How long boot waits for the first answer before giving up with a clear message. */
const CONNECT_TIMEOUT_MS = 10_000;
/** Under the core's 1 s budget for /ready. */
const READY_TIMEOUT_MS = 900;
/** While the database is down every request would log; once per window is enough to see it. */
const OUTAGE_LOG_WINDOW_MS = 10_000;

/** Logs an outage at warn, at most once per window; silent until `arm()` (boot failures get their own message). */
function outageLogger(app: AppContext): { log: (error: unknown) => void; arm: () => void } {
  let armed = false;
  let lastLogged = 0;
  return {
    arm: () => {
      armed = true;
    },
    log: (error) => {
      const now = Date.now();
      if (!armed || now - lastLogged < OUTAGE_LOG_WINDOW_MS) return;
      lastLogged = now;
      const code = (error as { code?: unknown } | null)?.code;
      app.log.warn(
        { event: 'db_unavailable', code: typeof code === 'string' ? code : undefined },
        'database unavailable',
      );
    },
  };
}

export const module: Module = {
  name: 'database',
  checklist: ['C09', 'C10', 'C11', 'C27', 'C33'],

  productionIssues(s) {
    return productionIssues(s);
  },

  async init(app) {
    const outage = outageLogger(app);
    const db = createDb(app.settings, {
      onUnavailable: outage.log,
      // An idle pooled connection died (database restarted, network blip): the pool drops it and reconnects.
      onPoolError: outage.log,
    });
    try {
      await ping(db, CONNECT_TIMEOUT_MS);
    } catch (error) {
      await db.destroy().catch(() => {});
      throw new DatabaseBootError(error, app.settings.DATABASE_URL);
    }
    app.db = db;
    outage.arm();
    app.log.info(
      { event: 'db_connected', engine, target: describeTarget(app.settings.DATABASE_URL) },
      'database connected',
    );
  },

  async ready(app) {
    await ping(getDb(app), READY_TIMEOUT_MS);
  },

  async close(app) {
    if (app.db === undefined) return;
    const db = getDb(app);
    app.db = undefined;
    await db.destroy();
  },
};
