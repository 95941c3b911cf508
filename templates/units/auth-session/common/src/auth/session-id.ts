/**
 * Session ids: 256 bits from the CSPRNG, base64url in the cookie, SHA-256 in the database. A fast hash is
 * right here (unlike passwords): the input is already 256 random bits, so there is nothing to brute-force.
 */
import { createHash, randomBytes } from 'node:crypto';

const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/** Anything that is not the shape of an id we issued is refused before it reaches the database. */
export function isSessionId(value: string): boolean {
  return ID_PATTERN.test(value);
}

export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}
