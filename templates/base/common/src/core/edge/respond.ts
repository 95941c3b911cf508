/**
 * How edge steps answer: a small JSON error written straight to the raw response. The security headers are
 * already set by then (they are the second step), so these answers carry them too.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody } from '../errors.js';

export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): true {
  const body = JSON.stringify(errorBody(code, message, req.edge.id));
  res.statusCode = status;
  if (headers) for (const name in headers) res.setHeader(name, headers[name] as string);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  // A request answered before its body was read: close the connection rather than read an unbounded body.
  if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS' && !req.complete) {
    res.setHeader('Connection', 'close');
  }
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
