/**
 * /api/v1/{{path}} (C03, C04, C08, C10, C17, C23): the caller's own {{name}}. Validation happens in the route
 * runner from the schemas; handlers clean text, call the repository and answer through the field allowlist.
 * Every route needs credentials (`auth: true`); to require an API-key scope instead, use
 * `auth: { scope: '{{name}}:read' }` and grant that scope.
 */
import { HttpError } from '../../core/errors.js';
import type { ApiRequest, RouteDef } from '../../core/types.js';
import { getDb } from '../../database/db.js';
import { idParams } from '../../database/validators.js';
{{textImport}}import {
  create{{Name}},
  delete{{Name}},
  find{{Name}},
  list{{Name}},
  type {{Name}}Fields,
  update{{Name}},
} from './repository.js';
import {
  type Create{{Name}},
  create{{Name}}Body,
  {{camel}}ListResponse,
  {{camel}}Response,
  type List{{Name}}Query,
  list{{Name}}Query,
  type Update{{Name}},
  update{{Name}}Body,
} from './schemas.js';

const BASE = '/api/v1/{{path}}';

/** The owner is whoever is authenticated; with auth `none` that is the shared anonymous principal. */
function ownerOf(req: Pick<ApiRequest, 'principal'>): string {
  if (req.principal === null) throw new HttpError(401, 'unauthorized', 'Authentication required');
  return req.principal.id;
}

const notFound = (): HttpError => new HttpError(404, 'not_found', 'Not found');

export function {{camel}}Routes(): RouteDef[] {
  return [
    {
      method: 'GET',
      path: BASE,
      auth: true,
      schema: { query: list{{Name}}Query, response: {{camel}}ListResponse },
      summary: 'List your {{name}} (paginated)',
      tag: '{{name}}',
      handler: async (req: ApiRequest<Record<string, string>, List{{Name}}Query>, app) => {
        const { limit, offset } = req.query;
        const { data, total } = await list{{Name}}(getDb(app), ownerOf(req), { limit, offset });
        return { body: { data, limit, offset, total } };
      },
    },
    {
      method: 'POST',
      path: BASE,
      auth: true,
      schema: { body: create{{Name}}Body, response: {{camel}}Response },
      summary: 'Create one of your {{name}}',
      tag: '{{name}}',
      handler: async (req: ApiRequest<Record<string, string>, unknown, Create{{Name}}>, app) => {
        const body = req.body;
        const record = await create{{Name}}(getDb(app), ownerOf(req), {
{{createAssignments}}
        });
        return { status: 201, body: record, headers: { Location: `${BASE}/${record.id}` } };
      },
    },
    {
      method: 'GET',
      path: `${BASE}/:id`,
      auth: true,
      schema: { params: idParams, response: {{camel}}Response },
      summary: 'One of your {{name}}',
      tag: '{{name}}',
      handler: async (req: ApiRequest<{ id: string }>, app) => {
        const record = await find{{Name}}(getDb(app), ownerOf(req), req.params.id);
        if (record === undefined) throw notFound();
        return { body: record };
      },
    },
    {
      method: 'PATCH',
      path: `${BASE}/:id`,
      auth: true,
      schema: { params: idParams, body: update{{Name}}Body, response: {{camel}}Response },
      summary: 'Change one of your {{name}}',
      tag: '{{name}}',
      handler: async (req: ApiRequest<{ id: string }, unknown, Update{{Name}}>, app) => {
        const body = req.body;
        const fields: Partial<{{Name}}Fields> = {};
{{updateAssignments}}
        const record = await update{{Name}}(getDb(app), ownerOf(req), req.params.id, fields);
        if (record === undefined) throw notFound();
        return { body: record };
      },
    },
    {
      method: 'DELETE',
      path: `${BASE}/:id`,
      auth: true,
      schema: { params: idParams },
      summary: 'Delete one of your {{name}}',
      tag: '{{name}}',
      handler: async (req: ApiRequest<{ id: string }>, app) => {
        if (!(await delete{{Name}}(getDb(app), ownerOf(req), req.params.id))) throw notFound();
        return { status: 204 };
      },
    },
  ];
}
