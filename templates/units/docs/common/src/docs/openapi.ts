/**
 * OpenAPI 3.1 from the route table (C02): the same zod schemas the route runner validates with are turned into
 * JSON Schema (zod 4's `z.toJSONSchema`, draft 2020-12, which OpenAPI 3.1 uses as is), so the document cannot
 * drift from what the server enforces. Request schemas use the *input* side (defaults make fields optional),
 * responses the *output* side.
 */
import { type ZodType, z } from 'zod';
import type { RouteDef } from '../core/types.js';

type JsonSchema = Record<string, unknown>;

export interface SecurityScheme {
  name: string;
  scheme: JsonSchema;
}

export interface OpenApiOptions {
  title: string;
  version: string;
  security: readonly SecurityScheme[];
}

function toSchema(schema: ZodType, io: 'input' | 'output'): JsonSchema {
  try {
    // `unrepresentable: 'any'`: a transform or custom check shows as "any" instead of failing the whole document.
    const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
    delete json.$schema;
    return json;
  } catch {
    return {};
  }
}

const errorRef = { $ref: '#/components/schemas/Error' };
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorRef } } });

/** `/api/v1/items/:id` → `/api/v1/items/{id}` */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parameters(route: RouteDef): JsonSchema[] {
  const out: JsonSchema[] = [];
  const pathParams = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] as string);
  const params = route.schema?.params ? toSchema(route.schema.params, 'input') : {};
  const paramProps = (params.properties ?? {}) as Record<string, JsonSchema>;
  for (const name of pathParams)
    out.push({ name, in: 'path', required: true, schema: paramProps[name] ?? { type: 'string' } });
  if (route.schema?.query) {
    const query = toSchema(route.schema.query, 'input');
    const required = new Set((query.required ?? []) as string[]);
    for (const [name, schema] of Object.entries((query.properties ?? {}) as Record<string, JsonSchema>)) {
      out.push({ name, in: 'query', required: required.has(name), schema });
    }
  }
  return out;
}

function requestBody(route: RouteDef): JsonSchema | undefined {
  const kind = route.body ?? (route.method === 'GET' || route.method === 'DELETE' ? 'none' : 'json');
  if (kind === 'none') return undefined;
  if (kind === 'raw') {
    // Raw bodies in this API are multipart uploads, read by the route itself (field `file`).
    return {
      required: true,
      content: {
        'multipart/form-data': {
          schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
        },
      },
    };
  }
  const schema = route.schema?.body ? toSchema(route.schema.body, 'input') : { type: 'object' };
  const content: Record<string, unknown> = { 'application/json': { schema } };
  if (route.form) content['application/x-www-form-urlencoded'] = { schema };
  return { required: route.schema?.body !== undefined, content };
}

function operation(route: RouteDef, security: readonly SecurityScheme[]): JsonSchema {
  const responses: Record<string, unknown> = {
    '2XX': route.schema?.response
      ? {
          description: 'Success',
          content: { 'application/json': { schema: toSchema(route.schema.response, 'output') } },
        }
      : { description: 'Success' },
  };
  if (route.schema || route.body === 'raw')
    responses['400'] = errorResponse('Invalid request (`fields` lists each problem)');
  if (route.auth !== false) responses['401'] = errorResponse('Missing or invalid credentials');
  if (route.auth !== false && route.auth !== true) responses['403'] = errorResponse('Not allowed for this caller');
  responses['429'] = errorResponse('Too many requests (see Retry-After)');
  const op: JsonSchema = {
    operationId: `${route.method.toLowerCase()}${openApiPath(route.path)
      .replace(/[{}]/g, '')
      .replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: route.summary ?? `${route.method} ${route.path}`,
    tags: [route.tag ?? 'api'],
    parameters: parameters(route),
    responses,
  };
  const body = requestBody(route);
  if (body) op.requestBody = body;
  if (route.auth !== false && security.length > 0) {
    const scopes = typeof route.auth === 'object' && 'scope' in route.auth ? [route.auth.scope] : [];
    op.security = security.map((s) => ({ [s.name]: s.scheme.type === 'oauth2' ? scopes : [] }));
  }
  return op;
}

export function buildOpenApi(routes: readonly RouteDef[], options: OpenApiOptions): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operation(route, options.security);
  }
  return {
    openapi: '3.1.0',
    info: { title: options.title, version: options.version },
    paths,
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message', 'requestId'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                requestId: { type: 'string' },
                fields: {
                  type: 'array',
                  items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
                },
              },
            },
          },
        },
      },
      securitySchemes: Object.fromEntries(options.security.map((s) => [s.name, s.scheme])),
    },
  };
}
