import { z } from 'zod';
import { listOf, pagination, searchTerm, text } from '../database/validators.js';

/**
 * Request and response shapes of /api/v1/items (C03): bodies are `.strict()`, so an unknown field such as
 * `owner_id` or `id` is a 400, never silently assigned (no mass assignment).
 */
export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 10_000;

const title = text().trim().min(1).max(TITLE_MAX);
const description = text().max(DESCRIPTION_MAX);

export const createItemBody = z.object({ title, description: description.optional() }).strict();

export const updateItemBody = z
  .object({ title: title.optional(), description: description.nullable().optional() })
  .strict()
  .refine((body) => body.title !== undefined || body.description !== undefined, {
    message: 'Send title or description',
  });

export const listItemsQuery = z.object({ ...pagination, search: searchTerm.optional() });

/** The public item: exactly these fields (GENERATED-APP.md), whatever the table holds. */
export const itemResponse = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Item = z.infer<typeof itemResponse>;

export const itemListResponse = listOf(itemResponse);

export type CreateItem = z.infer<typeof createItemBody>;
export type UpdateItem = z.infer<typeof updateItemBody>;
export type ListItemsQuery = z.infer<typeof listItemsQuery>;
