/**
 * The public user (C23): exactly `{id, email, displayName, role, createdAt}`. Responses are built by picking
 * these fields, never by spreading a row, and the response schema is strict as a second line of defence.
 */
import { z } from 'zod';
import type { UserRecord } from './repository.js';

export const publicUserSchema = z.strictObject({
  id: z.string(),
  email: z.string(),
  displayName: z.string().nullable(),
  role: z.enum(['user', 'admin']),
  createdAt: z.string(),
});

export type PublicUser = z.infer<typeof publicUserSchema>;

export function toPublicUser(user: UserRecord): PublicUser {
  return { id: user.id, email: user.email, displayName: user.displayName, role: user.role, createdAt: user.createdAt };
}
