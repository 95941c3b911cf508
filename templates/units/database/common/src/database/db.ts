import { Kysely, sql } from 'kysely';
import type { AppContext } from '../core/types.js';
import { guardAvailability } from './availability.js';
import { createDialect } from './dialect.js';
import type { Database } from './schema.js';
import type { DatabaseSettings } from './settings.js';

export type Db = Kysely<Database>;

export interface CreateDbOptions {
  /** Called when a query fails because the database is unreachable or too slow (for a warn log). */
  onUnavailable?: (error: unknown) => void;
  /** Called when an idle pooled connection dies (the pool drops it; without a listener the process would crash). */
  onPoolError?: (error: unknown) => void;
  /** Keep driver errors as they are (migrations, test helpers) instead of translating them into 503s. */
  rawErrors?: boolean;
}

/** A pooled Kysely instance for the configured engine. Connects lazily: call `ping()` to know it works. */
export function createDb(settings: DatabaseSettings, options: CreateDbOptions = {}): Db {
  const dialect = createDialect(settings, { onPoolError: options.onPoolError ?? (() => {}) });
  return new Kysely<Database>({
    dialect: options.rawErrors ? dialect : guardAvailability(dialect, options.onUnavailable ?? (() => {})),
  });
}

/** The project's database, set by the database module's `init`. Throws when the project has none. */
export function getDb(app: AppContext): Db {
  if (app.db === undefined) throw new Error('No database: the database module has not been initialised.');
  return app.db as Db;
}

/** One round trip, bounded by `timeoutMs` (a blackholed host would otherwise hang until the TCP timeout). */
// biome-ignore lint/suspicious/noExplicitAny: any schema will do for `select 1`.
export async function ping(db: Kysely<any>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`no answer within ${timeoutMs} ms`) as Error & { code: string };
      error.code = 'ETIMEDOUT';
      reject(error);
    }, timeoutMs);
  });
  try {
    await Promise.race([sql`select 1`.execute(db), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
