/**
 * Structured JSON logs (C14) with pino. Every request gets one line when it ends, with its request id; values
 * that are credentials are replaced by `[redacted]` wherever they appear in a logged object (up to four
 * levels deep, e.g. `req.headers.authorization`, any letter case). Never log a whole request body or header set you have not
 * checked against this list.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { type DestinationStream, type Logger } from 'pino';

/** Keys whose values never reach the log. Extend here, not at call sites. */
export const REDACTED_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-altcha',
  'x-csrf-token',
  'x-waf-pass',
  'password',
  'newPassword',
  'token',
  'access_token',
  'refresh_token',
  'ticket',
  'secret',
  'apiKey',
  'csrfToken',
] as const;

const SENSITIVE = new Set<string>(REDACTED_KEYS.map((key) => key.toLowerCase()));
const CENSOR = '[redacted]';
const MAX_DEPTH = 4;

function isPlain(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null || Array.isArray(value);
}

/**
 * Copy-on-write redaction of sensitive keys (any case) in plain objects and arrays, four levels deep. Written
 * by hand because pino's wildcard paths (`*.*.password`) cost ~75 µs per line; this costs well under 1 µs for
 * a request line and only copies the branches that hold a secret.
 */
export function redact<T>(value: T, depth = 0): T {
  if (depth >= MAX_DEPTH || !isPlain(value)) return value;
  let copy: Record<string, unknown> | unknown[] | undefined;
  const source = value as Record<string, unknown>;
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    const current = source[key];
    const next = SENSITIVE.has(key.toLowerCase()) && current !== undefined ? CENSOR : redact(current, depth + 1);
    if (next !== current) {
      copy ??= Array.isArray(source) ? [...source] : { ...source };
      (copy as Record<string, unknown>)[key] = next;
    }
  }
  return (copy ?? value) as T;
}

/**
 * Marks the per-request line built by `logRequest`: its keys are fixed and none is in REDACTED_KEYS, so
 * redaction could never change it, and skipping it saves 1.5–5 µs on every request (bench/RESULTS.md). A symbol
 * key is not serialised by pino. Every other line is redacted.
 */
const REQUEST_LINE: unique symbol = Symbol('requestLine');

function redactLine(object: Record<string, unknown>): Record<string, unknown> {
  return (object as { [REQUEST_LINE]?: true })[REQUEST_LINE] === true ? object : redact(object);
}

export function createLogger(level: string, stream?: DestinationStream): Logger {
  // Asynchronous, buffered writes to stdout keep logging off the request's critical path; `close()` flushes.
  const destination = stream ?? pino.destination({ dest: 1, sync: false, minLength: 4096 });
  return pino(
    {
      level,
      base: undefined,
      // `time` in epoch milliseconds (pino's default): formatting ISO dates costs on every line.
      formatters: { level: (label) => ({ level: label }), log: redactLine },
    },
    destination,
  );
}

/** Requests slower than this are logged at `warn` (C32). */
export const SLOW_REQUEST_MS = 1000;

/**
 * One line per request, on `close` (so aborted requests are logged too). The path is logged without its query
 * string: queries carry search terms, tickets and the like.
 */
export function logRequest(log: Logger, req: IncomingMessage, res: ServerResponse, ms: number): void {
  const edge = req.edge;
  // Only these keys (and `event` below): add a sensitive one and REQUEST_LINE must go.
  const line = {
    [REQUEST_LINE]: true as const,
    reqId: edge.id,
    method: req.method,
    route: edge.route,
    path: edge.path,
    status: res.statusCode,
    ms: Math.round(ms * 10) / 10,
    ip: edge.ip,
    principalId: edge.principalId,
    aborted: res.writableFinished ? undefined : true,
  };
  if (ms > SLOW_REQUEST_MS) log.warn({ ...line, event: 'slow_request' }, 'slow request');
  else log.info(line, 'request');
}
