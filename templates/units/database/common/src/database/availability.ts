import type {
  CompiledQuery,
  DatabaseConnection,
  DatabaseIntrospector,
  Dialect,
  DialectAdapter,
  Driver,
  Kysely,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';
import { HttpError } from '../core/errors.js';

/** Driver error codes that mean "the database cannot serve us right now", not "this query is wrong". */
const UNAVAILABLE_CODES = new Set([
  // sockets and DNS
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  // mysql2
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_ACCESS_DENIED_ERROR',
  'ER_QUERY_TIMEOUT',
  'ER_STATEMENT_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
  // PostgreSQL SQLSTATEs: too many connections, shutdown, crash, cannot connect now, statement timeout, auth
  '53300',
  '57P01',
  '57P02',
  '57P03',
  '57014',
  '28P01',
  '28000',
  '55P03',
  // SQLite: locked past the busy timeout, file cannot be opened
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
]);

/** Driver messages without a code (pg and mysql2 raise these as plain Errors). */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Queue limit reached|Pool is closed|connection error|Can't add new command when connection is in closed state|connect ETIMEDOUT|socket hang up/i;

/** True when an error says the database is down, overloaded or too slow (rather than a bug in a query). */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof AggregateError && error.errors.some(isUnavailable)) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  return UNAVAILABLE_MESSAGES.test(error.message);
}

/**
 * What a client sees while the database is down: a generic 503, never the driver's message (C23). The driver's
 * error stays reachable through `reason` for the boot message and logs, but is not an enumerable property, so
 * no serializer sends it anywhere by accident.
 */
export class DatabaseUnavailableError extends HttpError {
  readonly #reason: unknown;

  constructor(reason: unknown) {
    super(503, 'unavailable', 'The service is temporarily unavailable. Try again shortly.', {
      headers: { 'Retry-After': '5' },
    });
    this.#reason = reason;
  }

  get reason(): unknown {
    return this.#reason;
  }
}

function translate(error: unknown, onUnavailable: (error: unknown) => void): unknown {
  if (error instanceof DatabaseUnavailableError || !isUnavailable(error)) return error;
  onUnavailable(error);
  return new DatabaseUnavailableError(error);
}

async function guard<T>(work: () => Promise<T>, onUnavailable: (error: unknown) => void): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translate(error, onUnavailable);
  }
}

/** A connection whose failures are translated; `inner` is what the wrapped driver gets back. */
class GuardedConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    private readonly onUnavailable: (error: unknown) => void,
  ) {}

  executeQuery<R>(
    query: CompiledQuery,
    options?: Parameters<DatabaseConnection['executeQuery']>[1],
  ): Promise<QueryResult<R>> {
    return guard(() => this.inner.executeQuery<R>(query, options), this.onUnavailable);
  }

  async *streamQuery<R>(
    query: CompiledQuery,
    chunkSize: number,
    options?: Parameters<DatabaseConnection['streamQuery']>[2],
  ): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(query, chunkSize, options);
    } catch (error) {
      throw translate(error, this.onUnavailable);
    }
  }
}

const unwrap = (connection: DatabaseConnection): DatabaseConnection =>
  connection instanceof GuardedConnection ? connection.inner : connection;

class GuardedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly onUnavailable: (error: unknown) => void,
  ) {}

  init(options?: Parameters<Driver['init']>[0]): Promise<void> {
    return guard(() => this.inner.init(options), this.onUnavailable);
  }

  async acquireConnection(options?: Parameters<Driver['acquireConnection']>[0]): Promise<DatabaseConnection> {
    const connection = await guard(() => this.inner.acquireConnection(options), this.onUnavailable);
    return new GuardedConnection(connection, this.onUnavailable);
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return guard(() => this.inner.beginTransaction(unwrap(connection), settings), this.onUnavailable);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return guard(() => this.inner.commitTransaction(unwrap(connection)), this.onUnavailable);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return guard(() => this.inner.rollbackTransaction(unwrap(connection)), this.onUnavailable);
  }

  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    if (!this.inner.savepoint) throw new Error('savepoints are not supported by this dialect');
    return this.inner.savepoint(unwrap(connection), name, compile);
  }

  rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    if (!this.inner.rollbackToSavepoint) throw new Error('savepoints are not supported by this dialect');
    return this.inner.rollbackToSavepoint(unwrap(connection), name, compile);
  }

  releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    if (!this.inner.releaseSavepoint) throw new Error('savepoints are not supported by this dialect');
    return this.inner.releaseSavepoint(unwrap(connection), name, compile);
  }

  releaseConnection(
    connection: DatabaseConnection,
    options?: Parameters<Driver['releaseConnection']>[1],
  ): Promise<void> {
    return this.inner.releaseConnection(unwrap(connection), options);
  }

  destroy(options?: Parameters<Driver['destroy']>[0]): Promise<void> {
    return this.inner.destroy(options);
  }
}

/**
 * Wrap a dialect so that "database down / too slow" errors from any query, in any unit, become a
 * `DatabaseUnavailableError` (503 `unavailable`) instead of a 500 carrying driver internals. Other errors
 * (constraint violations, bugs) pass through unchanged.
 */
export function guardAvailability(dialect: Dialect, onUnavailable: (error: unknown) => void): Dialect {
  return {
    createDriver: (): Driver => new GuardedDriver(dialect.createDriver(), onUnavailable),
    createQueryCompiler: (): QueryCompiler => dialect.createQueryCompiler(),
    createAdapter: (): DialectAdapter => dialect.createAdapter(),
    // biome-ignore lint/suspicious/noExplicitAny: the introspector works on any schema.
    createIntrospector: (db: Kysely<any>): DatabaseIntrospector => dialect.createIntrospector(db),
  };
}
