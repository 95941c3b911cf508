import sanitizeHtml from 'sanitize-html';
import { HttpError } from '../core/errors.js';

/**
 * Text fields of generated resources (C17): every tag and attribute goes, the contents of script, style and
 * similar elements go with them, and the remaining text is HTML-escaped (`<` → `&lt;`), so what is stored can be
 * placed in a page as is. `sanitize-html` parses like a browser does, which a regular expression cannot.
 */
const STRIP_ALL: sanitizeHtml.IOptions = {
  allowedTags: [],
  allowedAttributes: {},
  disallowedTagsMode: 'discard',
};

export function stripTags(html: string): string {
  return sanitizeHtml(html, STRIP_ALL).trim();
}

/** A required text field: refused, like any invalid field, when nothing but markup was sent. */
export function cleanText(value: string, field: string): string {
  const clean = stripTags(value);
  if (clean === '') {
    throw new HttpError(400, 'validation_failed', 'Invalid request', {
      fields: [{ path: `body.${field}`, message: 'Must contain text, not only markup' }],
    });
  }
  return clean;
}

/** An optional text field: null when absent, cleared or only markup. */
export function cleanOptionalText(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const clean = stripTags(value);
  return clean === '' ? null : clean;
}
