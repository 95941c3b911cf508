import { z } from 'zod';
import { int } from '../core/settings.js';

/** How the connection to a database server is encrypted (C09). `require`: TLS, certificate not verified
 * (Heroku Postgres: its certificates have no chain a client can verify); `verify-full`: TLS with the server's
 * certificate and host name checked against DATABASE_CA or the system CAs. */
export const SSL_MODES = ['disable', 'require', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** Engine-neutral settings (empty variables count as unset: see core/settings.ts); DATABASE_URL comes from the engine's `dialect.ts` (its form and default differ). */
export const databaseSettings = {
  DATABASE_SSL: z.enum(SSL_MODES).optional(),
  /** CA certificate(s) for verify-full: PEM text, or a path to a PEM file. */
  DATABASE_CA: z.string().optional(),
  /** Upper bound of open connections per process (C27): Heroku plans cap connections per database. */
  DATABASE_POOL_MAX: int(1, 500).default(10),
  /** Longest a statement may run before the server cancels it (C09); SQLite: how long to wait on a lock. */
  DATABASE_STATEMENT_TIMEOUT_MS: int(100, 600_000).default(5000),
};

/** What the database code reads from the settings (a structural subset of the project's `Settings`). */
export interface DatabaseSettings {
  NODE_ENV: string;
  DATABASE_URL: string;
  DATABASE_SSL?: SslMode | undefined;
  DATABASE_CA?: string | undefined;
  DATABASE_POOL_MAX: number;
  DATABASE_STATEMENT_TIMEOUT_MS: number;
}
