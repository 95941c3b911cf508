/**
 * Auth style `session` (C08, C12, C21): server-side sessions in the database behind a `__Host-sid` cookie,
 * rotated at login, idle and absolute timeouts, CSRF token + Origin check on every unsafe method.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { secretWeakness } from '../core/secret-strength.js';
import { int } from '../core/settings.js';
import type { AppContext, Module } from '../core/types.js';
import { sessionRoutes } from './routes.js';
import { SessionAuth } from './session-auth.js';
import { deleteExpiredSessions } from './session-store.js';

export const settings = {
  /** HMAC key for CSRF tokens, at least 32 bytes. Required in production. */
  SESSION_SECRET: z
    .string()
    .refine((value) => Buffer.byteLength(value, 'utf8') >= 32, 'must be at least 32 bytes')
    .optional(),
  /** Seconds without a request after which a session ends. */
  SESSION_IDLE_TTL: int(60, 7 * 86_400).default(1_800),
  /** Seconds after login after which a session ends however active. */
  SESSION_ABSOLUTE_TTL: int(300, 30 * 86_400).default(28_800),
};

const states = new WeakMap<AppContext, { auth: SessionAuth; sweeper: NodeJS.Timeout }>();

function stateOf(app: AppContext): { auth: SessionAuth; sweeper: NodeJS.Timeout } {
  const state = states.get(app);
  if (!state) throw new Error('the session auth module has not been initialised');
  return state;
}

export const module: Module = {
  name: 'auth-session',
  checklist: ['C08', 'C12', 'C21'],

  productionIssues(s) {
    const weakness = secretWeakness(s.SESSION_SECRET);
    return weakness ? [`SESSION_SECRET: ${weakness}`] : [];
  },

  async init(app) {
    let secret = app.settings.SESSION_SECRET;
    if (secret === undefined) {
      // Development only (production refuses to boot without one): CSRF tokens change with each restart.
      secret = randomBytes(48).toString('base64url');
      app.log.warn({ event: 'config' }, 'SESSION_SECRET is not set: using a random key for this process only');
    }
    const auth = new SessionAuth(app, Buffer.from(secret, 'utf8'), {
      idleMs: app.settings.SESSION_IDLE_TTL * 1000,
      absoluteMs: app.settings.SESSION_ABSOLUTE_TTL * 1000,
    });
    const sweeper = setInterval(() => {
      deleteExpiredSessions(auth.db, auth.ttls.idleMs).catch((err: unknown) =>
        app.log.error({ err }, 'session cleanup failed'),
      );
    }, 600_000);
    sweeper.unref();
    states.set(app, { auth, sweeper });
    app.auth = auth.provider();
  },

  routes: (app) => sessionRoutes(stateOf(app).auth),

  async close(app) {
    const state = states.get(app);
    if (!state) return;
    clearInterval(state.sweeper);
    states.delete(app);
  },
};
