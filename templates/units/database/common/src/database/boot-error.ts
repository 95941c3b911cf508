import { SettingsError } from '../core/settings.js';
import { DatabaseUnavailableError } from './availability.js';
import { describeTarget, scrubSecrets } from './target.js';

/** Short words for the errors people meet at boot; anything else keeps the driver's first line. */
const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ETIMEDOUT: 'no answer in time',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  '28P01': 'the user name or password was refused',
  '3D000': 'the database does not exist',
  ER_ACCESS_DENIED_ERROR: 'the user name or password was refused',
  ER_BAD_DB_ERROR: 'the database does not exist',
  SQLITE_CANTOPEN: 'the database file cannot be opened',
};

function reasonOf(error: unknown, databaseUrl: string): string {
  const cause = error instanceof DatabaseUnavailableError ? error.reason : error;
  const first = cause instanceof AggregateError && cause.errors.length > 0 ? cause.errors[0] : cause;
  const code = (first as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && REASONS[code]) return `${REASONS[code]} (${code})`;
  const message = first instanceof Error ? first.message : String(first);
  return scrubSecrets(message.split('\n')[0] ?? 'unknown error', databaseUrl).slice(0, 200);
}

/**
 * The database could not be reached at boot: an operations problem, not a bug, so it is reported like a bad
 * setting (a SettingsError, which the entry point prints as its message and exits 1) in one line naming where
 * it tried, without credentials, and without a stack trace.
 */
export class DatabaseBootError extends SettingsError {
  constructor(error: unknown, databaseUrl: string) {
    const line =
      `Cannot connect to the database at ${describeTarget(databaseUrl)}: ${reasonOf(error, databaseUrl)}. ` +
      'Check DATABASE_URL (and DATABASE_SSL) and that the database is running.';
    super([line]);
    this.name = 'DatabaseBootError';
    this.message = line;
    this.stack = `${this.name}: ${line}`;
  }
}
