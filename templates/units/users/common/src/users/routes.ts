/**
 * Account routes (C03, C06, C08, C23): registration, the caller's profile, and the admin user list. Access
 * rules are declared on each route and enforced by the core route runner, not checked here (C18).
 */
import { z } from 'zod';
import { HttpError } from '../core/errors.js';
import type { ApiRequest, AppContext, RouteDef } from '../core/types.js';
import { getDb } from '../database/db.js';
import { listOf, pagination } from '../database/validators.js';
import { hashPassword } from './password.js';
import { publicUserSchema, toPublicUser } from './public-user.js';
import { createUser, EmailTakenError, findUserById, listUsers, updateDisplayName } from './repository.js';
import {
  displayNameSchema,
  EMAIL_AS_PASSWORD_MESSAGE,
  emailSchema,
  isEmailAsPassword,
  newPasswordSchema,
} from './validators.js';

const registerBody = z
  .strictObject({
    email: emailSchema,
    password: newPasswordSchema,
    displayName: displayNameSchema.optional(),
  })
  .refine((body) => !isEmailAsPassword(body.password, body.email), {
    path: ['password'],
    message: EMAIL_AS_PASSWORD_MESSAGE,
  });

/** Only `displayName` may change here: role, email and password are not assignable (no mass assignment). */
const patchMeBody = z.strictObject({ displayName: displayNameSchema });

const pageQuery = z.strictObject(pagination);
const userListSchema = listOf(publicUserSchema);

async function me(req: Pick<ApiRequest, 'principal'>, app: AppContext) {
  const user = req.principal ? await findUserById(getDb(app), req.principal.id) : undefined;
  // A deleted account with a still-valid credential: the credential no longer names anyone.
  if (!user) throw new HttpError(401, 'unauthorized', 'Authentication required');
  return user;
}

export function userRoutes(): RouteDef[] {
  return [
    {
      method: 'POST',
      path: '/api/v1/auth/register',
      auth: false,
      rateLimit: 'login',
      schema: { body: registerBody, response: publicUserSchema },
      summary: 'Create an account',
      tag: 'auth',
      async handler(req: ApiRequest<never, never, z.infer<typeof registerBody>>, app) {
        const { email, displayName } = req.body;
        const passwordHash = await hashPassword(req.body.password);
        try {
          const user = await createUser(getDb(app), { email, passwordHash, displayName: displayName ?? null });
          app.log.info({ event: 'user_registered', userId: user.id, requestId: req.id }, 'user registered');
          return { status: 201, body: toPublicUser(user) };
        } catch (err) {
          if (err instanceof EmailTakenError)
            throw new HttpError(409, 'email_taken', 'An account with this email already exists.');
          throw err;
        }
      },
    },
    {
      method: 'GET',
      path: '/api/v1/users/me',
      auth: true,
      schema: { response: publicUserSchema },
      summary: 'The signed-in user',
      tag: 'users',
      async handler(req, app) {
        return { body: toPublicUser(await me(req, app)) };
      },
    },
    {
      method: 'PATCH',
      path: '/api/v1/users/me',
      auth: true,
      schema: { body: patchMeBody, response: publicUserSchema },
      summary: 'Change your display name',
      tag: 'users',
      async handler(req: ApiRequest<never, never, z.infer<typeof patchMeBody>>, app) {
        const current = await me(req, app);
        const user = await updateDisplayName(getDb(app), current.id, req.body.displayName);
        if (!user) throw new HttpError(401, 'unauthorized', 'Authentication required');
        return { body: toPublicUser(user) };
      },
    },
    {
      method: 'GET',
      path: '/api/v1/admin/users',
      auth: { role: 'admin' },
      schema: { query: pageQuery, response: userListSchema },
      summary: 'List users (admins only)',
      tag: 'admin',
      async handler(req: ApiRequest<never, z.infer<typeof pageQuery>>, app) {
        const { limit, offset } = req.query;
        const { data, total } = await listUsers(getDb(app), { limit, offset });
        return { body: { data: data.map(toPublicUser), limit, offset, total } };
      },
    },
  ];
}
