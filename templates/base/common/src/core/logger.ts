/**
 * Structured JSON logs (C14) with pino. Every request gets one line when it ends, with its request id; values
 * that are credentials are replaced by `[redacted]` wherever they appear in a logged object (up to three
 * levels deep, e.g. `req.headers.authorization`). Never log a whole request body or header set you have not
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

function redactPaths(): string[] {
  return REDACTED_KEYS.flatMap((key) => {
    const plain = /^[A-Za-z_$][\w$]*$/.test(key);
    const leaf = plain ? key : `["${key}"]`;
    const dot = plain ? '.' : '';
    return [leaf, `*${dot}${leaf}`, `*.*${dot}${leaf}`];
  });
}

export function createLogger(level: string, stream?: DestinationStream): Logger {
  // Asynchronous, buffered writes to stdout keep logging off the request's critical path; `close()` flushes.
  const destination = stream ?? pino.destination({ dest: 1, sync: false, minLength: 4096 });
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths(), censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
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
  const line = {
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
