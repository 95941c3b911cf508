/**
 * Auth style `jwt` (C05, C07, C08, C12): OAuth2 password flow at `POST /api/v1/auth/token`, short-lived HS256
 * access tokens, rotating refresh tokens with reuse detection, logout by `jti` and family.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { secretWeakness } from '../core/secret-strength.js';
import { int } from '../core/settings.js';
import type { AppContext, Module } from '../core/types.js';
import { JwtAuth } from './jwt-auth.js';
import { deleteExpiredRefreshTokens } from './refresh-store.js';
import { jwtRoutes } from './routes.js';
import { importSecret } from './tokens.js';

export const settings = {
  /** HMAC key for HS256, used as the UTF-8 bytes of the string; at least 32 bytes. Required in production. */
  JWT_SECRET: z
    .string()
    .refine((value) => Buffer.byteLength(value, 'utf8') >= 32, 'must be at least 32 bytes')
    .optional(),
  JWT_ISSUER: z.string().min(1).max(200).default('{{projectName}}'),
  JWT_AUDIENCE: z.string().min(1).max(200).default('{{projectName}}-api'),
  /** Seconds. Short on purpose (C07): revocation is checked anyway, but a stolen token dies soon. */
  ACCESS_TOKEN_TTL: int(30, 86_400).default(900),
  /** Seconds a refresh token stays usable if not rotated. */
  REFRESH_TOKEN_TTL: int(60, 90 * 86_400).default(604_800),
  /** Seconds after login when the whole refresh family ends, however often it was rotated. */
  REFRESH_TOKEN_ABSOLUTE_TTL: int(60, 365 * 86_400).default(2_592_000),
};

// Keyed by app: tests run several servers in one process.
const states = new WeakMap<AppContext, { auth: JwtAuth; sweeper: NodeJS.Timeout }>();

function stateOf(app: AppContext): { auth: JwtAuth; sweeper: NodeJS.Timeout } {
  const state = states.get(app);
  if (!state) throw new Error('the jwt auth module has not been initialised');
  return state;
}

export const module: Module = {
  name: 'auth-jwt',
  checklist: ['C05', 'C07', 'C08', 'C12'],

  productionIssues(s) {
    const weakness = secretWeakness(s.JWT_SECRET);
    return weakness ? [`JWT_SECRET: ${weakness}`] : [];
  },

  async init(app) {
    const s = app.settings;
    let secret = s.JWT_SECRET;
    if (secret === undefined) {
      // Development only (production refuses to boot without one): tokens die with the process.
      secret = randomBytes(48).toString('base64url');
      app.log.warn({ event: 'config' }, 'JWT_SECRET is not set: using a random key for this process only');
    }
    if (s.REFRESH_TOKEN_ABSOLUTE_TTL < s.REFRESH_TOKEN_TTL) {
      app.log.warn(
        { event: 'config' },
        'REFRESH_TOKEN_ABSOLUTE_TTL is below REFRESH_TOKEN_TTL: refresh tokens end at the absolute limit',
      );
    }
    const auth = new JwtAuth(
      app,
      { key: await importSecret(secret), issuer: s.JWT_ISSUER, audience: s.JWT_AUDIENCE },
      { access: s.ACCESS_TOKEN_TTL, refresh: s.REFRESH_TOKEN_TTL, refreshAbsolute: s.REFRESH_TOKEN_ABSOLUTE_TTL },
    );
    const sweeper = setInterval(() => {
      deleteExpiredRefreshTokens(auth.db).catch((err: unknown) =>
        app.log.error({ err }, 'refresh token cleanup failed'),
      );
    }, 3_600_000);
    sweeper.unref();
    states.set(app, { auth, sweeper });
    app.auth = auth.provider();
  },

  routes: (app) => jwtRoutes(stateOf(app).auth),

  async close(app) {
    const state = states.get(app);
    if (!state) return;
    clearInterval(state.sweeper);
    state.auth.cache.clear();
    states.delete(app);
  },
};
