/**
 * API docs (C02): GET /openapi.json (OpenAPI 3.1 built from the routes' own zod schemas) and GET /docs
 * (Swagger UI). Only outside production and only while DOCS_ENABLED is true: otherwise the routes are not
 * mounted at all, so they answer 404 like any unknown path. The document lists every route of every module
 * of this project (AppContext.modules), built once on first request.
 */
import { HttpError } from '../core/errors.js';
import { bool } from '../core/settings.js';
import type { AppContext, Module, RouteDef } from '../core/types.js';
import { buildOpenApi, type SecurityScheme } from './openapi.js';
import { asset, DOCS_CSP, page } from './ui.js';

export const settings = {
  /** Serve /docs and /openapi.json (never in production, whatever this says). */
  DOCS_ENABLED: bool().default(true),
};

/** The security schemes of this project's auth style, from which auth module is installed. */
function securitySchemes(app: AppContext): SecurityScheme[] {
  const auth = (app.modules ?? []).find((m) => m.name.startsWith('auth-'))?.name;
  switch (auth) {
    case 'auth-jwt':
      return [
        {
          name: 'oauth2',
          scheme: { type: 'oauth2', flows: { password: { tokenUrl: '/api/v1/auth/token', scopes: {} } } },
        },
      ];
    case 'auth-session':
      return [{ name: 'session', scheme: { type: 'apiKey', in: 'cookie', name: '__Host-sid' } }];
    case 'auth-api-key':
      return [
        { name: 'apiKey', scheme: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
        { name: 'bearer', scheme: { type: 'http', scheme: 'bearer' } },
      ];
    default:
      return [];
  }
}

/** The document title; on its own line so the project name's length never changes how the code formats. */
const TITLE = '{{projectName}} API';

const documents = new WeakMap<AppContext, Record<string, unknown>>();

function document(app: AppContext): Record<string, unknown> {
  let doc = documents.get(app);
  if (!doc) {
    const routes = (app.modules ?? []).flatMap((m) => (m.name === 'docs' ? [] : (m.routes?.(app) ?? [])));
    doc = buildOpenApi(routes, { title: TITLE, version: '1.0.0', security: securitySchemes(app) });
    documents.set(app, doc);
  }
  return doc;
}

export const module: Module = {
  name: 'docs',
  checklist: ['C02'],

  routes(app): RouteDef[] {
    if (app.settings.NODE_ENV === 'production' || !app.settings.DOCS_ENABLED) return [];
    return [
      {
        method: 'GET',
        path: '/openapi.json',
        auth: false,
        summary: 'This OpenAPI document',
        tag: 'docs',
        handler: async () => ({ body: document(app) }),
      },
      {
        method: 'GET',
        path: '/docs',
        auth: false,
        summary: 'API documentation (Swagger UI)',
        tag: 'docs',
        handler: async () => {
          const { type, stream } = page();
          return {
            headers: { 'Content-Type': type, 'Content-Security-Policy': DOCS_CSP, 'Cache-Control': 'no-cache' },
            stream,
          };
        },
      },
      {
        method: 'GET',
        path: '/docs/:asset',
        auth: false,
        summary: 'Docs UI assets',
        tag: 'docs',
        handler: async (req) => {
          // Looked up in a fixed table: the URL segment never becomes a path.
          const found = asset(String(req.params.asset ?? ''));
          if (!found) throw new HttpError(404, 'not_found', 'Not found');
          return {
            headers: { 'Content-Type': found.type, 'Cache-Control': 'public, max-age=3600' },
            stream: found.stream,
          };
        },
      },
    ];
  },
};
