/**
 * Auth style `none`: every caller is the same anonymous principal, and there are no auth, user or admin
 * routes. Resource routes are public. Choose this only for an API that serves public data, or that sits
 * behind a gateway that authenticates for it.
 */
import type { Module, Principal } from '../core/types.js';

/** One shared principal: everything anyone creates belongs to everyone. Admin routes stay closed (role `user`). */
const ANONYMOUS: Readonly<Principal> = Object.freeze({
  id: 'anonymous',
  kind: 'anonymous',
  role: 'user',
  scopes: Object.freeze(['items:read', 'items:write', 'files:read', 'files:write']) as string[],
});

export const settings = {};

export const module: Module = {
  name: 'auth-none',
  checklist: [],
  init(app) {
    app.auth = {
      // A fresh copy per request, so no handler can change what the next caller sees.
      authenticate: async () => ({ ...ANONYMOUS, scopes: [...ANONYMOUS.scopes] }),
      stillValid: async () => true,
    };
  },
};
