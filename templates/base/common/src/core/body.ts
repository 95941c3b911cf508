/**
 * Body rules shared by the three framework adapters, so that each answers the same way: which routes read a
 * body, which content types they accept (415 otherwise), and the errors for malformed and oversized bodies.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from './errors.js';
import type { RouteDef } from './types.js';

export type BodyKind = 'json' | 'raw' | 'none';

export function bodyKind(route: RouteDef): BodyKind {
  return route.body ?? (route.method === 'GET' || route.method === 'DELETE' ? 'none' : 'json');
}

/** True when the request announces a body (a length above zero, or chunked). */
export function hasBody(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length'];
  return (length !== undefined && length !== '0') || headers['transfer-encoding'] !== undefined;
}

export function mediaType(headers: IncomingHttpHeaders): string {
  const type = headers['content-type'] ?? '';
  const semi = type.indexOf(';');
  return (semi === -1 ? type : type.slice(0, semi)).trim().toLowerCase();
}

export function isJsonType(type: string): boolean {
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** The 415 for a JSON route that was sent something else (checked before reading the body). */
export function unsupportedMediaType(route: RouteDef, headers: IncomingHttpHeaders): HttpError | null {
  if (bodyKind(route) !== 'json' || !hasBody(headers)) return null;
  const type = mediaType(headers);
  if (isJsonType(type)) return null;
  if (route.form && type === 'application/x-www-form-urlencoded') return null;
  return new HttpError(
    415,
    'unsupported_media_type',
    route.form ? 'Send application/json or application/x-www-form-urlencoded' : 'Send application/json',
  );
}

export const malformedBody = (): HttpError => new HttpError(400, 'bad_request', 'Malformed request body');
export const bodyTooLarge = (): HttpError => new HttpError(413, 'payload_too_large', 'Request body too large');
