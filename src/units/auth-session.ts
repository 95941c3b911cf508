import type { Unit } from '../engine/unit.js';

/** Auth style `session`: server-side sessions (database table) behind a `__Host-sid` cookie, with CSRF tokens. */
export const unit: Unit = {
  id: 'auth-session',
  title: 'Auth: sessions',
  checklist: ['C08', 'C12', 'C14', 'C21'],
  dependencies: ['kysely', 'zod'],
  env: [
    {
      name: 'SESSION_SECRET',
      example: '',
      secret: true,
      description: 'Key for CSRF tokens, at least 32 bytes (`openssl rand -base64 48`); required in production',
    },
    { name: 'SESSION_IDLE_TTL', example: '1800', description: 'Seconds without a request after which a session ends' },
    { name: 'SESSION_ABSOLUTE_TTL', example: '28800', description: 'Seconds after login after which a session ends however active' },
  ],
  module: 'auth/module',
  order: 30,
};
