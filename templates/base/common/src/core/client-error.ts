/**
 * Errors Node raises before a request exists (malformed request line, headers too large, a client that takes
 * longer than HEADERS_TIMEOUT_MS / REQUEST_BODY_TIMEOUT_MS: C15). Node's default answer is a bare status line;
 * this one carries the security headers (C20) and the JSON error shape, then closes the connection.
 */
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { securityHeaderList } from './edge/security-headers.js';
import { errorBody } from './errors.js';

const ANSWERS: Record<string, [number, string, string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'timeout', 'Request not received in time'],
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'headers_too_large', 'Request headers too large'],
};
const DEFAULT: [number, string, string, string] = [400, 'Bad Request', 'bad_request', 'Malformed request'];

export function clientErrorHandler(production: boolean, log: Logger) {
  const headers = securityHeaderList(production)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return (err: NodeJS.ErrnoException, socket: Duplex): void => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    // A response already on its way (e.g. a body timeout mid-reply) cannot be replaced.
    const current = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (current?.headersSent) {
      socket.destroy();
      return;
    }
    const [status, reason, code, message] = (err.code && ANSWERS[err.code]) || DEFAULT;
    log.info({ event: 'client_error', code: err.code, status }, 'client error');
    const body = JSON.stringify(errorBody(code, message, 'none'));
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\n${headers}Content-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  };
}
