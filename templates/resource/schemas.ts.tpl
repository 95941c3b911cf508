import { z } from 'zod';
import { listOf, pagination } from '../../database/validators.js';

/**
 * Request and response shapes of /api/v1/{{path}} (C03, C04): bodies are `.strict()`, so an unknown field such
 * as `owner_id` or `id` is a 400, never silently assigned (no mass assignment), and pages are bounded (1–100).
 */
{{fieldSchemas}}

export const create{{Name}}Body = z
  .object({
{{createShape}}
  })
  .strict();

export const update{{Name}}Body = z
  .object({
{{updateShape}}
  })
  .strict()
  .refine((body) => Object.values(body).some((value) => value !== undefined), { message: 'Send at least one field' });

export const list{{Name}}Query = z.object({ ...pagination });

/** The public record: exactly these fields, whatever the table holds (C23). */
export const {{camel}}Response = z.object({
  id: z.string(),
{{responseShape}}
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type {{Name}}Record = z.infer<typeof {{camel}}Response>;

export const {{camel}}ListResponse = listOf({{camel}}Response);

export type Create{{Name}} = z.infer<typeof create{{Name}}Body>;
export type Update{{Name}} = z.infer<typeof update{{Name}}Body>;
export type List{{Name}}Query = z.infer<typeof list{{Name}}Query>;
