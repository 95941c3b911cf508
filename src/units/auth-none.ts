import type { Unit } from '../engine/unit.js';

/** Auth style `none`: an anonymous principal for everyone; no auth, user or admin routes. */
export const unit: Unit = {
  id: 'auth-none',
  title: 'Auth: none',
  checklist: [],
  module: 'auth/module',
  order: 30,
};
