import { z } from 'zod';

/**
 * Validators shared by every route that reads the database (C04, C18): one definition of a page and of an id.
 * Query values arrive as strings, hence the coercion; anything outside the bounds is a 400, not a clamp, so a
 * client learns the limit instead of silently getting less than it asked for.
 */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
/** Deep offsets make the database walk and discard rows; past this, clients should narrow the search (C27). */
export const MAX_OFFSET = 1_000_000;

export const pagination = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  offset: z.coerce.number().int().min(0).max(MAX_OFFSET).default(0),
};

export const paginationQuery = z.object(pagination);
export type Pagination = z.infer<typeof paginationQuery>;

/** Ids are server-made `crypto.randomUUID()` values; anything else cannot name a row. */
export const idParams = z.object({ id: z.uuid() });

/**
 * Text every engine can store: PostgreSQL refuses NUL characters in text values, so they are a 400 here
 * rather than a failed statement (500) later.
 */
export function text() {
  return z.string().refine((value) => !value.includes('\u0000'), { message: 'must not contain NUL characters' });
}

/** A free-text search term: bounded so a pattern cannot be made expensive. */
export const searchTerm = text().trim().max(200);

/** The shape of every list response (GENERATED-APP.md): `{data, limit, offset, total}`. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), limit: z.number().int(), offset: z.number().int(), total: z.number().int() });
}
