/**
 * C02 API docs: served outside production only, never with DOCS_ENABLED=false, and generated from the same
 * zod schemas the routes validate with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FreshDatabase, freshDatabase } from './helpers/database.js';
import { request, startServer, type TestServer } from './helpers/server.js';

let db: FreshDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('C02 API docs in development', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ ...db.env, NODE_ENV: 'development' });
  });
  afterAll(() => server?.close());

  it('serves an OpenAPI 3.1 document listing the routes of every module', async () => {
    const res = await request(server, '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/health'].get).toBeDefined();
    const routes = (server.app.modules ?? []).flatMap((m) => (m.name === 'docs' ? [] : (m.routes?.(server.app) ?? [])));
    expect(routes.length).toBeGreaterThan(2);
    for (const route of routes) {
      const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      expect(doc.paths[path]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
    }
    // The docs do not document themselves.
    expect(doc.paths['/docs']).toBeUndefined();
  });

  it('derives request schemas from the zod schemas the routes validate with', async () => {
    const doc = (await request(server, '/openapi.json')).json();
    const routes = (server.app.modules ?? []).flatMap((m) => (m.name === 'docs' ? [] : (m.routes?.(server.app) ?? [])));
    // A route whose body is a plain zod object: the document must list exactly its fields.
    const shapeOf = (r: (typeof routes)[number]) =>
      (r.schema?.body as unknown as { shape?: Record<string, unknown> } | undefined)?.shape;
    const withBody = routes.find((r) => shapeOf(r) !== undefined);
    if (withBody) {
      const op = doc.paths[withBody.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')][withBody.method.toLowerCase()];
      const schema = op.requestBody.content['application/json'].schema;
      expect(schema.type).toBe('object');
      expect(Object.keys(schema.properties ?? {}).sort()).toEqual(Object.keys(shapeOf(withBody)!).sort());
    }
    const withParams = routes.find((r) => r.path.includes(':'));
    if (withParams) {
      const op = doc.paths[withParams.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')][withParams.method.toLowerCase()];
      expect(op.parameters.some((p: { in: string; required: boolean }) => p.in === 'path' && p.required)).toBe(true);
    }
    const protectedRoute = routes.find((r) => r.auth !== false);
    if (protectedRoute) {
      const op =
        doc.paths[protectedRoute.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')][protectedRoute.method.toLowerCase()];
      expect(op.responses['401']).toBeDefined();
    }
    expect(doc.components.schemas.Error.properties.error.required).toEqual(['code', 'message', 'requestId']);
  });

  it('serves the docs UI with its own CSP that allows only this origin, and its assets', async () => {
    const page = await request(server, '/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('swagger-ui-bundle.js');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    // Nothing in the page comes from another origin.
    expect(page.text).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    for (const asset of ['swagger-ui.css', 'swagger-ui-bundle.js', 'init.js']) {
      const res = await request(server, `/docs/${asset}`);
      expect(res.status, asset).toBe(200);
      expect(res.text.length).toBeGreaterThan(10);
    }
    expect((await request(server, '/docs/init.js')).text).toContain('validatorUrl: null');
    expect((await request(server, '/docs/package.json')).status).toBe(404);
    expect((await request(server, '/docs/..%2F..%2Fpackage.json')).status).toBe(404);
  });
});

describe('C02 API docs are absent in production and when disabled', () => {
  it('answers 404 for /docs and /openapi.json with DOCS_ENABLED=false', async () => {
    const server = await startServer({ ...db.env, NODE_ENV: 'development', DOCS_ENABLED: 'false' });
    try {
      for (const path of ['/docs', '/openapi.json', '/docs/init.js'])
        expect((await request(server, path)).status, path).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('answers 404 for /docs and /openapi.json in production, even with DOCS_ENABLED=true', async () => {
    // Production refuses weak or missing secrets at boot, so this checks the decision the module takes
    // from the settings instead of booting a production server.
    const server = await startServer({ ...db.env, NODE_ENV: 'development' });
    try {
      const docs = server.app.modules?.find((m) => m.name === 'docs');
      expect(docs?.routes?.(server.app).length).toBeGreaterThan(0);
      const production = {
        ...server.app,
        settings: { ...server.app.settings, NODE_ENV: 'production' as const, DOCS_ENABLED: true },
      };
      expect(docs?.routes?.(production)).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
