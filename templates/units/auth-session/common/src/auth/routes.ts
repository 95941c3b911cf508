/**
 * Session login, CSRF token and logout (C08, C12). The login limiter (`rateLimit: 'login'`) and the guard
 * (401, then Origin + X-CSRF-Token on unsafe methods) run in the core route runner.
 */
import { z } from 'zod';
import type { ApiRequest, RouteDef } from '../core/types.js';
import { checkPassword, invalidCredentials } from '../users/credentials.js';
import { emailSchema, loginPasswordSchema } from '../users/validators.js';
import { clearedSessionCookie, sessionCookie } from './cookie.js';
import { csrfRefused, csrfToken, foreignOrigin } from './csrf.js';
import type { SessionAuth } from './session-auth.js';

const NO_STORE = { 'Cache-Control': 'no-store' };

const loginBody = z.strictObject({ email: emailSchema, password: loginPasswordSchema });

export function sessionRoutes(auth: SessionAuth): RouteDef[] {
  return [
    {
      method: 'POST',
      path: '/api/v1/auth/login',
      auth: false,
      rateLimit: 'login',
      schema: { body: loginBody },
      summary: 'Sign in: sets the __Host-sid session cookie',
      tag: 'auth',
      async handler(req: ApiRequest<never, never, z.infer<typeof loginBody>>, app) {
        // Login CSRF: another site must not sign a browser into the attacker's account.
        if (foreignOrigin(req.raw, app.settings.CORS_ORIGINS) !== undefined) throw csrfRefused();
        const user = await checkPassword(app, req.body.email, req.body.password, req);
        if (!user) throw invalidCredentials(NO_STORE);
        // Whatever session id the client brought is ended, and a new one issued (no session fixation).
        const session = await auth.start(user.id, auth.presentedIdHash(req.raw));
        app.log.info({ event: 'login', userId: user.id, requestId: req.id }, 'session started');
        return {
          status: 204,
          headers: { ...NO_STORE, 'Set-Cookie': sessionCookie(session.id, session.maxAgeSeconds) },
        };
      },
    },
    {
      method: 'GET',
      path: '/api/v1/auth/csrf',
      auth: true,
      summary: 'The CSRF token of this session, to send as X-CSRF-Token on POST/PUT/PATCH/DELETE',
      tag: 'auth',
      async handler(req) {
        return { body: { csrfToken: csrfToken(auth.secret, req.principal?.credentialId ?? '') }, headers: NO_STORE };
      },
    },
    {
      method: 'POST',
      path: '/api/v1/auth/logout',
      auth: true,
      summary: 'End this session',
      tag: 'auth',
      async handler(req, app) {
        const idHash = req.principal?.credentialId;
        if (idHash) await auth.end(idHash);
        app.log.info({ event: 'logout', userId: req.principal?.id, requestId: req.id }, 'session ended');
        return { status: 204, headers: { ...NO_STORE, 'Set-Cookie': clearedSessionCookie() } };
      },
    },
  ];
}
