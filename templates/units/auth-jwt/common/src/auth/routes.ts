/**
 * OAuth2 password flow and refresh rotation (C05, C07, C12). The login rate limit (`rateLimit: 'login'`,
 * per IP and per account) and the bearer guard are applied by the core route runner.
 */
import { z } from 'zod';
import { HttpError } from '../core/errors.js';
import type { ApiRequest, AppContext, RouteDef } from '../core/types.js';
import { checkPassword, invalidCredentials } from '../users/credentials.js';
import { findUserById } from '../users/repository.js';
import { emailSchema, loginPasswordSchema } from '../users/validators.js';
import { credentialParts, type JwtAuth } from './jwt-auth.js';
import { revokeFamily, spendRefreshToken } from './refresh-store.js';
import { revokeAccessToken, revokeFamilyAccessTokens } from './revocation.js';
import { verifyRefreshToken } from './tokens.js';

/** Token responses must never be cached by the client or a proxy (RFC 6749 §5.1). */
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

const refreshTokenField = z.string().min(1).max(4096);

// OAuth2 clients (Swagger UI among them) may send scope and client credentials; they are accepted and ignored.
const oauthExtras = {
  scope: z.string().max(1000).optional(),
  client_id: z.string().max(200).optional(),
  client_secret: z.string().max(200).optional(),
};

const tokenBody = z.discriminatedUnion('grant_type', [
  z.strictObject({
    grant_type: z.literal('password'),
    username: emailSchema,
    password: loginPasswordSchema,
    ...oauthExtras,
  }),
  z.strictObject({ grant_type: z.literal('refresh_token'), refresh_token: refreshTokenField, ...oauthExtras }),
]);
type TokenBody = z.infer<typeof tokenBody>;

const refreshBody = z.strictObject({ refresh_token: refreshTokenField });

const tokenResponse = z.strictObject({
  access_token: z.string(),
  token_type: z.literal('bearer'),
  expires_in: z.number(),
  refresh_token: z.string(),
});

function refused(): HttpError {
  return new HttpError(401, 'invalid_token', 'The refresh token is invalid, expired or revoked.', {
    headers: NO_STORE,
  });
}

async function rotate(auth: JwtAuth, app: AppContext, token: string, req: ApiRequest) {
  const claims = await verifyRefreshToken(auth.config, token);
  if (!claims) throw refused();
  const outcome = await spendRefreshToken(auth.db, { jti: claims.jti, userId: claims.sub, familyId: claims.fid });
  if (!outcome.ok) {
    if (outcome.reason === 'reused') {
      // Two parties hold this family: end it for both, including access tokens already issued from it.
      await revokeFamily(auth.db, claims.fid);
      await revokeFamilyAccessTokens(app.store, claims.fid, auth.ttls.access);
      app.log.warn(
        { event: 'refresh_reuse', userId: claims.sub, requestId: req.id, ip: req.ip },
        'refresh token reused: family revoked',
      );
    } else {
      app.log.warn({ event: 'auth_failed', reason: `refresh_${outcome.reason}`, requestId: req.id }, 'refresh refused');
    }
    throw refused();
  }
  const user = await findUserById(auth.db, outcome.userId);
  if (!user) throw refused();
  return auth.issue(user, { id: claims.fid, expiresAt: outcome.familyExpiresAt });
}

export function jwtRoutes(auth: JwtAuth): RouteDef[] {
  return [
    {
      method: 'POST',
      path: '/api/v1/auth/token',
      auth: false,
      form: true,
      rateLimit: 'login',
      schema: { body: tokenBody, response: tokenResponse },
      summary: 'Get tokens (OAuth2 password grant, or refresh_token grant); form-encoded or JSON',
      tag: 'auth',
      async handler(req: ApiRequest<never, never, TokenBody>, app) {
        const body = req.body;
        if (body.grant_type === 'refresh_token') {
          return { body: await rotate(auth, app, body.refresh_token, req), headers: NO_STORE };
        }
        const user = await checkPassword(app, body.username, body.password, req);
        if (!user) throw invalidCredentials(NO_STORE);
        app.log.info({ event: 'login', userId: user.id, requestId: req.id }, 'tokens issued');
        return { body: await auth.issue(user), headers: NO_STORE };
      },
    },
    {
      method: 'POST',
      path: '/api/v1/auth/refresh',
      auth: false,
      form: true,
      schema: { body: refreshBody, response: tokenResponse },
      summary: 'Exchange a refresh token for a new pair (the old one stops working)',
      tag: 'auth',
      async handler(req: ApiRequest<never, never, z.infer<typeof refreshBody>>, app) {
        return { body: await rotate(auth, app, req.body.refresh_token, req), headers: NO_STORE };
      },
    },
    {
      method: 'POST',
      path: '/api/v1/auth/logout',
      auth: true,
      summary: 'Revoke this access token and its refresh family',
      tag: 'auth',
      async handler(req, app) {
        const principal = req.principal;
        const parts = principal ? credentialParts(principal) : null;
        if (principal && parts) {
          const exp = Math.ceil((principal.expiresAt ?? Date.now() + auth.ttls.access * 1000) / 1000);
          await revokeAccessToken(app.store, parts.jti, exp);
          await revokeFamily(auth.db, parts.fid);
          await revokeFamilyAccessTokens(app.store, parts.fid, auth.ttls.access);
          app.log.info({ event: 'logout', userId: principal.id, requestId: req.id }, 'logged out');
        }
        return { status: 204, headers: NO_STORE };
      },
    },
  ];
}
