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
  async init() {
    // Make the dummy hash now, so the first login for an unknown email is not faster than the rest.
    await dummyHash();
  },
  routes: () => userRoutes(),
};
