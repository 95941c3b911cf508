/**
 * /api/v1/items (C03, C04, C10, C17, C23): the caller's own items. Validation happens in the route runner from
 * the schemas below; handlers only sanitise, call the repository and answer through the field allowlist.
 */
import { HttpError } from '../core/errors.js';
import type { ApiRequest, RouteDef } from '../core/types.js';
import { getDb } from '../database/db.js';
import { idParams } from '../database/validators.js';
import { createItem, deleteItem, findItem, listItems, updateItem } from './repository.js';
import { asStoredText, stripTags } from './sanitize.js';
import {
  type CreateItem,
  createItemBody,
  itemListResponse,
  itemResponse,
  type ListItemsQuery,
  listItemsQuery,
  type UpdateItem,
  updateItemBody,
} from './schemas.js';

const BASE = '/api/v1/items';

/** The owner is whoever is authenticated; with auth `none` that is the shared anonymous principal. */
function ownerOf(req: Pick<ApiRequest, 'principal'>): string {
  if (req.principal === null) throw new HttpError(401, 'unauthorized', 'Authentication required');
  return req.principal.id;
}

const notFound = (): HttpError => new HttpError(404, 'not_found', 'Not found');

/** A title that was only markup is empty once sanitised: refuse it like any other invalid field. */
function cleanTitle(title: string): string {
  const clean = stripTags(title);
  if (clean === '') {
    throw new HttpError(400, 'validation_failed', 'Invalid request', {
      fields: [{ path: 'body.title', message: 'Must contain text, not only markup' }],
    });
  }
  return clean;
}

function cleanDescription(description: string | null | undefined): string | null | undefined {
  if (description === undefined || description === null) return description;
  const clean = stripTags(description);
  return clean === '' ? null : clean;
}

export function itemRoutes(): RouteDef[] {
  return [
    {
      method: 'GET',
      path: BASE,
      auth: { scope: 'items:read' },
      schema: { query: listItemsQuery, response: itemListResponse },
      summary: 'List your items (paginated, optional search)',
      tag: 'items',
      handler: async (req: ApiRequest<Record<string, string>, ListItemsQuery>, app) => {
        const { limit, offset, search } = req.query;
        const { data, total } = await listItems(getDb(app), ownerOf(req), {
          limit,
          offset,
          search: search === undefined ? undefined : asStoredText(search),
        });
        return { body: { data, limit, offset, total } };
      },
    },
    {
      method: 'POST',
      path: BASE,
      auth: { scope: 'items:write' },
      schema: { body: createItemBody, response: itemResponse },
      summary: 'Create an item; the description is sanitised HTML',
      tag: 'items',
      handler: async (req: ApiRequest<Record<string, string>, unknown, CreateItem>, app) => {
        const item = await createItem(getDb(app), ownerOf(req), {
          title: cleanTitle(req.body.title),
          description: cleanDescription(req.body.description) ?? null,
        });
        return { status: 201, body: item, headers: { Location: `${BASE}/${item.id}` } };
      },
    },
    {
      method: 'GET',
      path: `${BASE}/:id`,
      auth: { scope: 'items:read' },
      schema: { params: idParams, response: itemResponse },
      summary: 'One of your items',
      tag: 'items',
      handler: async (req: ApiRequest<{ id: string }>, app) => {
        const item = await findItem(getDb(app), ownerOf(req), req.params.id);
        if (item === undefined) throw notFound();
        return { body: item };
      },
    },
    {
      method: 'PATCH',
      path: `${BASE}/:id`,
      auth: { scope: 'items:write' },
      schema: { params: idParams, body: updateItemBody, response: itemResponse },
      summary: 'Change the title or description of one of your items',
      tag: 'items',
      handler: async (req: ApiRequest<{ id: string }, unknown, UpdateItem>, app) => {
        const fields: { title?: string; description?: string | null } = {};
        if (req.body.title !== undefined) fields.title = cleanTitle(req.body.title);
        if (req.body.description !== undefined) fields.description = cleanDescription(req.body.description) ?? null;
        const item = await updateItem(getDb(app), ownerOf(req), req.params.id, fields);
        if (item === undefined) throw notFound();
        return { body: item };
      },
    },
    {
      method: 'DELETE',
      path: `${BASE}/:id`,
      auth: { scope: 'items:write' },
      schema: { params: idParams },
      summary: 'Delete one of your items',
      tag: 'items',
      handler: async (req: ApiRequest<{ id: string }>, app) => {
        if (!(await deleteItem(getDb(app), ownerOf(req), req.params.id))) throw notFound();
        return { status: 204 };
      },
    },
  ];
}
