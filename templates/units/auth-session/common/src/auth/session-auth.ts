/**
 * The session auth style at run time (C08, C14): resolve the `__Host-sid` cookie to a principal, enforce the
 * idle and absolute timeouts, and guard unsafe methods with the Origin and CSRF-token checks.
 */
import type { IncomingMessage } from 'node:http';
import type { AppContext, AuthProvider, Principal } from '../core/types.js';
import { type Db, getDb } from '../database/db.js';
import { userPrincipal } from '../users/principal.js';
import { readSessionCookie } from './cookie.js';
import { CSRF_HEADER, csrfRefused, csrfTokenMatches, foreignOrigin } from './csrf.js';
import { hashSessionId, isSessionId, newSessionId } from './session-id.js';
import { createSession, deleteSession, findSession, touchSession } from './session-store.js';

/** Writing `last_seen_at` on every request would turn every read into a write; a minute is precise enough. */
const TOUCH_INTERVAL_MS = 60_000;

export interface SessionTtls {
  idleMs: number;
  absoluteMs: number;
}

export class SessionAuth {
  constructor(
    readonly app: AppContext,
    readonly secret: Buffer,
    readonly ttls: SessionTtls,
  ) {}

  get db(): Db {
    return getDb(this.app);
  }

  /** The hash of the session id the request carries, if it has a well-formed one. */
  presentedIdHash(req: IncomingMessage): string | null {
    const id = readSessionCookie(req.headers.cookie);
    return id !== null && isSessionId(id) ? hashSessionId(id) : null;
  }

  /** A brand-new session for `userId`: a new id every login, whatever the client sent (no fixation). */
  async start(userId: string, replacing: string | null): Promise<{ id: string; maxAgeSeconds: number }> {
    if (replacing !== null) await deleteSession(this.db, replacing);
    const id = newSessionId();
    const now = Date.now();
    await createSession(this.db, { idHash: hashSessionId(id), userId, now, expiresAt: now + this.ttls.absoluteMs });
    return { id, maxAgeSeconds: Math.floor(this.ttls.absoluteMs / 1000) };
  }

  async end(idHash: string): Promise<void> {
    await deleteSession(this.db, idHash);
  }

  async resolve(idHash: string): Promise<Principal | null> {
    const session = await findSession(this.db, idHash);
    if (!session) return null;
    const now = Date.now();
    if (now >= session.expiresAt || now - session.lastSeenAt >= this.ttls.idleMs) {
      await deleteSession(this.db, idHash);
      return null;
    }
    if (now - session.lastSeenAt >= TOUCH_INTERVAL_MS) await touchSession(this.db, idHash, now);
    return userPrincipal(
      { id: session.userId, role: session.role },
      { credentialId: idHash, expiresAt: session.expiresAt },
    );
  }

  provider(): AuthProvider {
    return {
      authenticate: async (req) => {
        const idHash = this.presentedIdHash(req);
        if (idHash === null) return null;
        const principal = await this.resolve(idHash);
        if (!principal)
          this.app.log.warn(
            { event: 'auth_failed', reason: 'invalid_session', requestId: req.edge?.id },
            'unknown or expired session',
          );
        return principal;
      },
      verifyUnsafe: async (req, principal) => {
        const origin = foreignOrigin(req, this.app.settings.CORS_ORIGINS);
        const tokenOk =
          origin === undefined && csrfTokenMatches(this.secret, principal.credentialId ?? '', req.headers[CSRF_HEADER]);
        if (!tokenOk) {
          this.app.log.warn(
            { event: 'csrf_failed', reason: origin ?? 'token', requestId: req.edge?.id, principalId: principal.id },
            'CSRF check failed',
          );
          throw csrfRefused();
        }
      },
      stillValid: async (principal) => {
        if (!principal.credentialId) return false;
        return (await this.resolve(principal.credentialId)) !== null;
      },
    };
  }
}
