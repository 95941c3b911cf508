/**
 * Every dependency a generated project can receive, pinned exactly (checklist C26).
 * Units name dependencies by key, so a typo does not compile. Bump versions here and nowhere else.
 */
export const versions = {
  // runtime
  fastify: '5.12.8',
  express: '5.3.0',
  hono: '4.13.23',
  '@hono/node-server': '2.1.11',
  zod: '4.6.7',
  pino: '10.4.0',
  kysely: '0.29.9',
  'better-sqlite3': '12.6.2',
  pg: '8.23.1',
  mysql2: '3.25.0',
  jose: '6.2.19',
  '@node-rs/argon2': '2.2.1',
  ioredis: '6.1.0',
  ws: '8.23.1',
  busboy: '1.6.0',
  maxmind: '5.0.7',
  '@ip-location-db/geo-whois-asn-country-mmdb': '2.3.2026061719',
  'altcha-lib': '2.8.0',
  'sanitize-html': '2.18.1',
  'swagger-ui-dist': '5.35.0',
  // development
  typescript: '7.0.2',
  esbuild: '0.28.2',
  tsx: '4.23.15',
  vitest: '4.1.12',
  autocannon: '9.0.0',
  '@biomejs/biome': '2.6.9',
  '@types/node': '24.19.4',
  '@types/better-sqlite3': '9.6.0',
  '@types/pg': '8.23.1',
  '@types/busboy': '1.5.5',
  '@types/ws': '8.18.2',
  '@types/sanitize-html': '2.16.2',
  '@types/express': '5.0.6',
  '@types/autocannon': '7.12.7',
  'ts-morph': '28.0.0',
  plop: '4.0.5',
} as const;

export type PackageName = keyof typeof versions;

/** The Node.js line generated projects run on (C25). */
export const NODE_MAJOR = '24';
