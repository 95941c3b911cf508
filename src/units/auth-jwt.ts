import type { Unit } from '../engine/unit.js';

/** Auth style `jwt`: OAuth2 password flow, HS256 access tokens via jose, rotating refresh tokens. */
export const unit: Unit = {
  id: 'auth-jwt',
  title: 'Auth: JWT',
  checklist: ['C05', 'C07', 'C08', 'C12', 'C14', 'C21'],
  dependencies: ['jose', 'kysely', 'zod'],
  env: [
    {
      name: 'JWT_SECRET',
      example: '',
      secret: true,
      description: 'HS256 signing key, at least 32 bytes (`openssl rand -base64 48`); required in production',
    },
    { name: 'JWT_ISSUER', example: '', description: 'Token `iss` (default: the project name)' },
    { name: 'JWT_AUDIENCE', example: '', description: 'Token `aud` (default: the project name + `-api`)' },
    { name: 'ACCESS_TOKEN_TTL', example: '900', description: 'Access token lifetime in seconds' },
    { name: 'REFRESH_TOKEN_TTL', example: '604800', description: 'Refresh token lifetime in seconds (each rotation restarts it)' },
    {
      name: 'REFRESH_TOKEN_ABSOLUTE_TTL',
      example: '2592000',
      description: 'Seconds after login when a refresh token family ends, however often it was rotated',
    },
  ],
  module: 'auth/module',
  order: 30,
};
