import type { Unit } from '../engine/unit.js';

/** Feature `redis`: a shared Store (rate limits, revocation, sessions, tickets, WAF counters) when REDIS_URL is set. */
export const unit: Unit = {
  id: 'redis',
  title: 'Redis shared store',
  checklist: ['C12'],
  dependencies: ['ioredis'],
  env: [
    {
      name: 'REDIS_URL',
      example: '',
      secret: true,
      description: 'redis:// or rediss:// URL (holds the password); unset keeps in-memory stores (one instance only)',
    },
    { name: 'REDIS_KEY_PREFIX', example: '', description: 'Prefix of every Redis key (default: the project name and `:`)' },
    {
      name: 'REDIS_TLS_VERIFY',
      example: 'true',
      description: 'Verify the Redis TLS certificate; Heroku Redis uses a self-signed one, so app.json sets false',
      heroku: 'false',
    },
  ],
  module: 'redis/module',
  order: 10,
};
