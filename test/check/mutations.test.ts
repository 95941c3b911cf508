/**
 * G6 mutation suite: each case weakens a freshly generated project in one way, the way a hurried edit would, and
 * `check` must report it as an error under the right checklist ID. Each mutation asserts that it really changed
 * the file, so a template change cannot make a case pass vacuously.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answers } from '../../src/engine/answers.js';
import { check } from '../../src/engine/check/index.js';
import { generateResource } from '../../src/engine/resource/generate.js';
import { cleanup, project } from '../generate/helpers.js';

afterAll(cleanup, 120_000);

type Edit = (dir: string) => void | Promise<void>;

function edit(path: string, from: RegExp | string, to: string): Edit {
  return (dir) => {
    const full = join(dir, path);
    const before = readFileSync(full, 'utf8');
    const after = typeof from === 'string' ? before.replace(from, to) : before.replace(from, to);
    expect(after, `mutation of ${path} did not apply`).not.toBe(before);
    writeFileSync(full, after);
  };
}

function json(path: string, change: (value: Record<string, any>) => void): Edit {
  return (dir) => {
    const full = join(dir, path);
    const value = JSON.parse(readFileSync(full, 'utf8'));
    change(value);
    writeFileSync(full, `${JSON.stringify(value, null, 2)}\n`);
  };
}

function write(path: string, text: string): Edit {
  return (dir) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
}

const ALL: Answers['features'] = ['waf', 'uploads', 'websocket', 'docs', 'metrics', 'redis'];
const fastify = { framework: 'fastify', auth: 'jwt', database: 'sqlite', features: ALL } as const;
const express = { framework: 'express', auth: 'session', database: 'postgres', features: ALL } as const;
const hono = { framework: 'hono', auth: 'api-key', database: 'mysql', features: ALL } as const;

const PRIVATE_KEY = ['-----BEGIN PRIVATE KEY-----', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7', '-----END PRIVATE KEY-----', ''].join('\n');

const cases: Array<{ name: string; answers: Omit<Answers, 'projectName'>; id: string; file: string; mutate: Edit }> = [
  { name: 'a registry module line removed', answers: fastify, id: 'G6', file: 'src/registry.ts', mutate: edit('src/registry.ts', /^ {2}waf\.module,\n/m, '') },
  { name: 'a managed file edited (SECURITY.md)', answers: hono, id: 'G6', file: 'SECURITY.md', mutate: edit('SECURITY.md', /\| C20 \|[^\n]*\n/, '') },
  {
    name: 'CORS answering `*`',
    answers: express,
    id: 'C01',
    file: 'src/core/edge/cors.ts',
    mutate: edit('src/core/edge/cors.ts', "res.setHeader('Access-Control-Allow-Origin', origin)", "res.setHeader('Access-Control-Allow-Origin', '*')"),
  },
  { name: 'CORS_ORIGINS no longer refusing `*`', answers: fastify, id: 'C01', file: 'src/core/module.ts', mutate: edit('src/core/module.ts', "value === '*' || ", '') },
  { name: 'X-Frame-Options changed to SAMEORIGIN', answers: hono, id: 'C20', file: 'src/core/edge/security-headers.ts', mutate: edit('src/core/edge/security-headers.ts', "'DENY'", "'SAMEORIGIN'") },
  {
    name: 'X-XSS-Protection set to `1; mode=block`',
    answers: fastify,
    id: 'C20',
    file: 'src/core/edge/security-headers.ts',
    mutate: edit('src/core/edge/security-headers.ts', /\['X-XSS-Protection', '0'\]/, "['X-XSS-Protection', '1; mode=block']"),
  },
  { name: 'HSTS max-age lowered to a day', answers: express, id: 'C20', file: 'src/core/edge/security-headers.ts', mutate: edit('src/core/edge/security-headers.ts', 'max-age=31536000', 'max-age=86400') },
  {
    name: 'the CSP header removed',
    answers: hono,
    id: 'C20',
    file: 'src/core/edge/security-headers.ts',
    mutate: edit('src/core/edge/security-headers.ts', /\n\s*\['Content-Security-Policy', [^\]]*\],/, ''),
  },
  { name: 'Express X-Powered-By back on', answers: express, id: 'C20', file: 'src/framework.ts', mutate: edit('src/framework.ts', /\n\s*server\.disable\('x-powered-by'\);/, '') },
  {
    name: 'the framework listening without the edge pipeline',
    answers: fastify,
    id: 'C20',
    file: 'src/create-server.ts',
    mutate: edit('src/create-server.ts', /\n(\s*)edge\.listener,/, '\n$1framework,'),
  },
  { name: 'the trusted-host step removed from the pipeline', answers: hono, id: 'C19', file: 'src/core/edge/pipeline.ts', mutate: edit('src/core/edge/pipeline.ts', /\n\s*steps\.push\(trustedHosts\([^)]*\)\);/, '') },
  { name: 'the global rate limit removed from the pipeline', answers: express, id: 'C12', file: 'src/core/edge/pipeline.ts', mutate: edit('src/core/edge/pipeline.ts', /\n\s*steps\.push\(globalRateLimit\([^;]*;/, '') },
  { name: 'the WAF edge hook removed from the pipeline', answers: fastify, id: 'W1', file: 'src/core/edge/pipeline.ts', mutate: edit('src/core/edge/pipeline.ts', /if \(module\.edge\) steps\.push\(module\.edge\(app\)\);/, '/* no module edges */') },
  { name: 'the header timeout removed', answers: hono, id: 'C15', file: 'src/create-server.ts', mutate: edit('src/create-server.ts', /\n\s*headersTimeout,/, '') },
  { name: 'the request timeout set to 0', answers: express, id: 'C15', file: 'src/create-server.ts', mutate: edit('src/create-server.ts', /requestTimeout: [^\n]*,\n/, 'requestTimeout: 0,\n') },
  { name: 'the per-request deadline removed', answers: fastify, id: 'C15', file: 'src/core/route-runner.ts', mutate: edit('src/core/route-runner.ts', /app\.settings\.REQUEST_TIMEOUT_MS/g, '60_000') },
  { name: 'the body limit removed (fastify)', answers: fastify, id: 'C27', file: 'src/framework.ts', mutate: edit('src/framework.ts', /\n\s*bodyLimit: app\.settings\.BODY_LIMIT_BYTES,/, '') },
  { name: 'the body limit removed (hono)', answers: hono, id: 'C27', file: 'src/framework.ts', mutate: edit('src/framework.ts', /maxSize: app\.settings\.BODY_LIMIT_BYTES/, 'maxSize: Number.MAX_SAFE_INTEGER') },
  { name: 'the login limit removed from the token route', answers: fastify, id: 'C12', file: 'src/auth/routes.ts', mutate: edit('src/auth/routes.ts', /\n\s*rateLimit: 'login',/, '') },
  { name: 'the login limit removed from registration', answers: express, id: 'C12', file: 'src/users/routes.ts', mutate: edit('src/users/routes.ts', /rateLimit: 'login',/, '') },
  {
    name: 'settings validation bypassed',
    answers: hono,
    id: 'C21',
    file: 'src/create-server.ts',
    mutate: edit('src/create-server.ts', /loadSettings<[^>]*>\(options\.env, settingsShape, all\)/, 'options.env as unknown as Settings'),
  },
  { name: 'production checks skipped', answers: fastify, id: 'C21', file: 'src/create-server.ts', mutate: edit('src/create-server.ts', /\(options\.env, settingsShape, all\)/, '(options.env, settingsShape)') },
  { name: 'a `^` pin in dependencies', answers: express, id: 'C26', file: 'package.json', mutate: json('package.json', (p) => (p.dependencies.zod = `^${p.dependencies.zod}`)) },
  { name: 'a dependency removed', answers: hono, id: 'G6', file: 'package.json', mutate: json('package.json', (p) => delete p.dependencies.pino) },
  { name: 'the audit script removed', answers: fastify, id: 'C31', file: 'package.json', mutate: json('package.json', (p) => delete p.scripts.audit) },
  { name: 'a secret in .env.example', answers: fastify, id: 'C22', file: '.env.example', mutate: edit('.env.example', /^JWT_SECRET=$/m, 'JWT_SECRET=s3cr3t-value-from-prod-0123456789') },
  { name: 'a password in an example URL', answers: express, id: 'C22', file: '.env.example', mutate: edit('.env.example', /^DATABASE_URL=postgres:\/\/postgres@/m, 'DATABASE_URL=postgres://app:Hunter2Hunter2@') },
  { name: 'a private key committed', answers: hono, id: 'C22', file: 'deploy/server.key', mutate: write('deploy/server.key', PRIVATE_KEY) },
  { name: 'an AWS key in source', answers: fastify, id: 'C22', file: 'src/config/aws.ts', mutate: write('src/config/aws.ts', "export const awsKeyId = 'AKIAIOSFODNN7EXAMPLE';\n") },
  { name: 'JWT_SECRET assigned in a script', answers: express, id: 'C22', file: 'scripts/deploy.sh', mutate: write('scripts/deploy.sh', 'heroku config:set JWT_SECRET=0123456789abcdef0123456789abcdef\n') },
  { name: '.env no longer git-ignored', answers: hono, id: 'C22', file: '.gitignore', mutate: edit('.gitignore', /^\.env$\n/m, '') },
  { name: 'pagination unbounded', answers: fastify, id: 'C04', file: 'src/database/validators.ts', mutate: edit('src/database/validators.ts', '.max(MAX_PAGE_SIZE)', '') },
  { name: 'pagination allowing 100000 rows', answers: express, id: 'C04', file: 'src/uploads/module.ts', mutate: edit('src/uploads/module.ts', /limit: z\.coerce\.number\(\)\.int\(\)\.min\(1\)\.max\(100\)/, 'limit: z.coerce.number().int().min(1).max(100000)') },
  {
    name: 'SQL built with sql.raw',
    answers: hono,
    id: 'C10',
    file: 'src/items/repository.ts',
    mutate: edit('src/items/repository.ts', /^import /m, "import { sql } from 'kysely';\nexport const unsafe = (term: string) => sql.raw(`title = '${term}'`);\nimport "),
  },
  { name: 'docs served in production', answers: fastify, id: 'C02', file: 'src/docs/module.ts', mutate: edit('src/docs/module.ts', "app.settings.NODE_ENV === 'production' || ", '') },
  { name: 'the release phase removed from the Procfile', answers: express, id: 'C24', file: 'Procfile', mutate: edit('Procfile', /^release:.*\n/m, '') },
  { name: 'a security test deleted', answers: hono, id: 'C29', file: 'test/items.test.ts', mutate: (dir) => rmSync(join(dir, 'test/items.test.ts')) },
  { name: 'WebSocket frames unbounded', answers: express, id: 'C28', file: 'src/websocket/module.ts', mutate: edit('src/websocket/module.ts', /\n\s*maxPayload: [^\n]*,/, '') },
  { name: 'upload size unbounded', answers: hono, id: 'C16', file: 'src/uploads/multipart.ts', mutate: edit('src/uploads/multipart.ts', /\n\s*fileSize: options\.maxBytes,/, '') },
  {
    name: 'Cache-Control no-store dropped from /api responses',
    answers: fastify,
    id: 'C20',
    file: 'src/core/edge/security-headers.ts',
    mutate: edit('src/core/edge/security-headers.ts', /res\.setHeader\('Cache-Control', 'no-store'\);/, '/* cacheable */'),
  },
  { name: 'Node runtime unpinned', answers: fastify, id: 'C25', file: 'package.json', mutate: json('package.json', (p) => delete p.engines) },
];

describe('G6 check catches weakened controls with the right checklist ID', () => {
  it('has at least 15 distinct weakening edits', () => {
    expect(new Set(cases.map((c) => c.name)).size).toBeGreaterThanOrEqual(15);
  });

  it.each(cases)('$id: $name', async ({ answers, id, file, mutate }) => {
    const dir = project(answers);
    await mutate(dir);
    const report = await check({ dir });
    const hit = report.findings.find((f) => f.checklistId === id && f.file === file && f.severity === 'error');
    expect(hit, JSON.stringify(report.findings, null, 2)).toBeDefined();
    expect(hit!.fix.length).toBeGreaterThan(10);
    expect(report.errors).toBeGreaterThan(0);
  });
});

describe('G6 check on generated resources', () => {
  let dir: string;
  beforeAll(async () => {
    dir = project({ framework: 'express', auth: 'jwt', database: 'sqlite', features: [] });
    await generateResource({ dir, name: 'books', fields: 'title:string,done:boolean' });
    expect((await check({ dir })).findings).toEqual([]);
  }, 60_000);

  const restore: Array<() => void> = [];
  const mutateResource = (path: string, from: RegExp | string, to: string) => {
    const full = join(dir, path);
    const before = readFileSync(full, 'utf8');
    restore.push(() => writeFileSync(full, before));
    edit(path, from, to)(dir);
  };
  afterAll(() => restore.forEach((undo) => undo()));

  it.each([
    { name: 'unregistered from appModules', id: 'G6', file: 'src/app-modules.ts', path: 'src/app-modules.ts', from: /\[booksModule\]/, to: '[]' },
    { name: 'a route made public', id: 'C08', file: 'src/resources/books/routes.ts', path: 'src/resources/books/routes.ts', from: /auth: true,/, to: 'auth: false,' },
    { name: 'mass assignment allowed', id: 'C03', file: 'src/resources/books/schemas.ts', path: 'src/resources/books/schemas.ts', from: /\.strict\(\);/, to: ';' },
  ])('$id: $name', async ({ id, file, path, from, to }) => {
    for (const undo of restore.splice(0)) undo();
    mutateResource(path, from, to);
    const report = await check({ dir });
    expect(report.findings.find((f) => f.checklistId === id && f.file === file && f.severity === 'error'), JSON.stringify(report.findings, null, 2)).toBeDefined();
  });
});
