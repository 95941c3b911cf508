/**
 * Password login, shared by the jwt and session styles (C05, C06, C12).
 *
 * One answer for "no such account" and "wrong password", and the same work for both: an unknown email is
 * verified against a dummy hash, so response timing does not reveal which emails have accounts. A hash made
 * with older parameters is replaced on the next successful login.
 */

import { HttpError } from '../core/errors.js';
import type { AppContext } from '../core/types.js';
import { getDb } from '../database/db.js';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from './password.js';
import { findCredentialsByEmail, type UserRecord, updatePasswordHash } from './repository.js';

export const INVALID_CREDENTIALS_MESSAGE = 'Invalid email or password.';

export function invalidCredentials(headers?: Record<string, string>): HttpError {
  return new HttpError(401, 'invalid_credentials', INVALID_CREDENTIALS_MESSAGE, headers ? { headers } : {});
}

/** The user whose email and password these are, or null. `email` is already normalised (lower case). */
export async function checkPassword(
  app: AppContext,
  email: string,
  password: string,
  request: { id: string; ip: string },
): Promise<UserRecord | null> {
  const db = getDb(app);
  const found = await findCredentialsByEmail(db, email);
  const ok = await verifyPassword(found?.passwordHash ?? (await dummyHash()), password);
  if (!found || !ok) {
    // No email in the log: people type passwords into the email field.
    app.log.warn(
      { event: 'auth_failed', reason: 'invalid_credentials', requestId: request.id, ip: request.ip },
      'login failed',
    );
    return null;
  }
  if (needsRehash(found.passwordHash)) {
    try {
      await updatePasswordHash(db, found.id, await hashPassword(password));
      app.log.info({ event: 'password_rehashed', userId: found.id }, 'password hash upgraded to current parameters');
    } catch (err) {
      // The login itself succeeded; the upgrade is retried on the next one.
      app.log.error({ err, userId: found.id }, 'password rehash failed');
    }
  }
  const { passwordHash: _hash, ...user } = found;
  return user;
}
