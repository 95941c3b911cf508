/**
 * C16: the client's file name is metadata only. It never reaches the filesystem (files are stored under a
 * random id); it is cleaned here before it is stored or echoed in a header.
 */
const MAX_LENGTH = 200;

/** Last path segment, Unicode NFC, only letters, digits, spaces and `._()-`; never empty, never a dotfile. */
export function sanitizeFilename(original: string, fallbackExt: string): string {
  const base = original.split(/[/\\]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/[^\p{L}\p{N} ._()-]+/gu, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[ .]+|[ .]+$/g, '')
    .slice(0, MAX_LENGTH);
  return cleaned.length > 0 ? cleaned : `file.${fallbackExt}`;
}

/** `attachment` with an ASCII fallback and the exact UTF-8 name (RFC 6266 / 8187); no quoting tricks possible. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^A-Za-z0-9 ._()-]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
