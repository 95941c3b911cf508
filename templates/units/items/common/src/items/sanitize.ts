import sanitizeHtml from 'sanitize-html';

/**
 * Rich text arrives as HTML; none of it is kept (C17). Every tag and attribute goes, the contents of script,
 * style and similar elements go with them, and the remaining text is HTML-escaped (`<` → `&lt;`), so what is
 * stored can be placed in a page as is. `sanitize-html` parses like a browser does, which a regular expression
 * cannot.
 */
const STRIP_ALL: sanitizeHtml.IOptions = {
  allowedTags: [],
  allowedAttributes: {},
  disallowedTagsMode: 'discard',
};

export function stripTags(html: string): string {
  return sanitizeHtml(html, STRIP_ALL).trim();
}
