import type { Unit } from '../engine/unit.js';

const tlsEnv = [
  {
    name: 'DATABASE_SSL',
    example: '',
    description:
      'disable | require | verify-full; default require in production, disable otherwise; wins over sslmode in the URL. Heroku Postgres: require (its certificates cannot be verified).',
  },
  {
    name: 'DATABASE_CA',
    example: '',
    description: 'CA certificate for DATABASE_SSL=verify-full: PEM text or a file path (default: the system CAs).',
  },
] as const;

/** PostgreSQL (pg), pooled, TLS in production. Heroku Postgres sets DATABASE_URL. */
export const unit: Unit = {
  id: 'db-postgres',
  title: 'PostgreSQL',
  checklist: ['C09', 'C11'],
  dependencies: ['pg'],
  devDependencies: ['@types/pg'],
  env: [
    {
      name: 'DATABASE_URL',
      example: 'postgres://postgres@localhost:5432/app',
      description: 'postgres:// or postgresql:// URL (set by the Heroku Postgres add-on).',
    },
    ...tlsEnv,
  ],
};

export { tlsEnv };
