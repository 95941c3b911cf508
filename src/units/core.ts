import type { Unit } from '../engine/unit.js';

/**
 * The core every project has: settings, logging, metrics registry, the edge pipeline (request id, client IP,
 * security headers, trusted hosts, HTTPS, CORS, backpressure, global rate limit), the route runner and the
 * server lifecycle. Framework packages (express / fastify / hono + @hono/node-server) come from
 * src/frameworks.ts; the framework adapter is templates/base/<framework>/src/framework.ts.
 */
export const unit: Unit = {
  id: 'core',
  title: 'Core',
  checklist: ['C01', 'C03', 'C12', 'C13', 'C14', 'C15', 'C18', 'C19', 'C20', 'C21', 'C23', 'C25', 'C27', 'C29', 'C33', 'C34', 'C35'],
  dependencies: ['zod', 'pino'],
  devDependencies: ['typescript', 'esbuild', 'tsx', 'vitest', '@types/node', '@biomejs/biome'],
  env: [
    { name: 'NODE_ENV', example: 'development', description: '`development`, `production` or `test`; production turns on HSTS, HTTPS enforcement and secret checks', heroku: 'production' },
    { name: 'PORT', example: '3000', description: 'Port to listen on (Heroku sets it)' },
    { name: 'LOG_LEVEL', example: 'info', description: 'fatal, error, warn, info, debug, trace or silent' },
    { name: 'ALLOWED_HOSTS', example: 'localhost,127.0.0.1', description: 'Comma list of host names the server answers to (`*.example.com` for subdomains); required in production' },
    { name: 'CORS_ORIGINS', example: '', description: 'Comma list of browser origins allowed to call the API (e.g. `https://app.example.com`); empty: none; `*` is refused' },
    { name: 'TRUST_PROXY_HOPS', example: '0', description: 'Proxies in front of the app that append to X-Forwarded-For (1 on Heroku)', heroku: '1' },
    { name: 'RATE_LIMIT_PER_MINUTE', example: '100', description: 'Requests per minute per client IP (IPv6: per /64)' },
    { name: 'LOGIN_RATE_LIMIT_PER_MINUTE', example: '5', description: 'Login, token and register attempts per minute, per IP and per account' },
    { name: 'BODY_LIMIT_BYTES', example: '102400', description: 'Largest accepted request body (uploads have their own limit)' },
    { name: 'HEADERS_TIMEOUT_MS', example: '10000', description: 'A client must send its request headers within this time' },
    { name: 'REQUEST_BODY_TIMEOUT_MS', example: '20000', description: 'A client must send its whole request within this time' },
    { name: 'REQUEST_TIMEOUT_MS', example: '15000', description: 'Handler deadline; slower requests get 504 (keep it under Heroku’s 30 s)' },
    { name: 'MAX_CONCURRENT_REQUESTS', example: '100', description: 'Requests served at once; more get 503 with Retry-After' },
    { name: 'MAX_EVENT_LOOP_DELAY_MS', example: '200', description: 'Event-loop stall above which new requests get 503 with Retry-After' },
  ],
  scripts: {
    dev: 'tsx watch src/server.ts',
    build: 'tsc -p tsconfig.build.json && node scripts/bundle.mjs',
    start: 'node dist/server.js',
    test: 'vitest run',
    typecheck: 'tsc -p tsconfig.json',
    lint: 'biome check .',
    format: 'biome check --write .',
  },
  module: 'core/module',
  order: 0,
};
