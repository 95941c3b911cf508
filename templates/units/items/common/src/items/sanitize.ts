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

/** Text without these characters has no markup and no entities: the parser would return it unchanged. */
const MARKUP = /[<>&]/;

export function stripTags(html: string): string {
  // Most titles are plain text; skipping the parse for them removes the largest cost of a write.
  if (!MARKUP.test(html)) return html.trim();
  return sanitizeHtml(html, STRIP_ALL).trim();
}

/**
 * A search term in the form text is stored in: stored text has `&`, `<` and `>` escaped by `stripTags`, so a
 * search for `a < b` must look for `a &lt; b`.
 */
export function asStoredText(term: string): string {
  return term.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
