/**
 * The users unit (shared by the jwt and session styles): accounts, argon2id password hashing, profile and
 * admin routes. Login itself belongs to the auth style (`src/auth/`), which calls `checkPassword`.
 */
import type { Module } from '../core/types.js';
import { dummyHash } from './password.js';
import { userRoutes } from './routes.js';

export const settings = {};

export const module: Module = {
  name: 'users',
  checklist: ['C03', 'C04', 'C06', 'C08', 'C23'],
  init(app) {
    // Start the dummy hash now, so the first login for an unknown email is not faster than the rest. Not
    // awaited: it runs on libuv's thread pool while the server boots, and a login that comes first waits for it.
    dummyHash().catch((err: unknown) => app.log.error({ err }, 'could not prepare the dummy password hash'));
  },
  routes: () => userRoutes(),
};
