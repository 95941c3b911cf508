/**
 * How the WAF answers (W1–W5). Blocks are written straight onto the raw response, before any framework
 * runs, in the same JSON error shape as every other error (C23). The body and headers of a block are the same
 * whatever the path or method, so a block reveals nothing about routes or auth. The security headers set by
 * the core edge (C20) are already on the response and stay.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError } from '../core/edge/respond.js';

/** A JSON answer with extra top-level members (the challenge); plain errors use the core's `sendError`. */
export function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  closeIfBodyUnread(req, res);
  res.end(req.method === 'HEAD' ? undefined : text);
}

/** The body was never read: close the connection after answering rather than drain an upload we refused. */
function closeIfBodyUnread(req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS' && !req.complete) {
    res.setHeader('Connection', 'close');
  }
}

export function sendForbidden(req: IncomingMessage, res: ServerResponse): void {
  sendError(req, res, 403, 'forbidden', 'Forbidden', { 'Cache-Control': 'no-store' });
}

export function sendUnavailable(req: IncomingMessage, res: ServerResponse): void {
  sendError(req, res, 503, 'unavailable', 'Service unavailable', { 'Retry-After': '1', 'Cache-Control': 'no-store' });
}

export function sendHtml(req: IncomingMessage, res: ServerResponse, status: number, html: string, csp: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('Content-Length', Buffer.byteLength(html));
  closeIfBodyUnread(req, res);
  res.end(req.method === 'HEAD' ? undefined : html);
}

/** Add a Set-Cookie without dropping one already set. */
export function appendSetCookie(res: ServerResponse, cookie: string): void {
  const existing = res.getHeader('Set-Cookie');
  if (existing === undefined) res.setHeader('Set-Cookie', cookie);
  else res.setHeader('Set-Cookie', [...(Array.isArray(existing) ? existing : [String(existing)]), cookie]);
}

/** One cookie's value from the Cookie header, or undefined. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
