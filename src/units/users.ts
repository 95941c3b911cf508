import type { Unit } from '../engine/unit.js';

/**
 * Accounts for the jwt and session styles: the `users` table, argon2id hashing, registration, profile and admin
 * routes, and `npm run user:create`. Login itself is the auth style's (`src/auth/`), which calls
 * `src/users/credentials.ts`.
 */
export const unit: Unit = {
  id: 'users',
  title: 'Users',
  checklist: ['C03', 'C04', 'C06', 'C08', 'C12', 'C23'],
  dependencies: ['@node-rs/argon2', 'kysely', 'zod'],
  scripts: { 'user:create': 'tsx src/users/create-user.ts' },
  module: 'users/module',
  order: 35,
};
