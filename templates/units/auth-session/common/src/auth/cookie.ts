/**
 * The session cookie. `__Host-` makes browsers refuse it unless it is `Secure`, has `Path=/` and no `Domain`,
 * so a sibling subdomain or a plain-http page cannot plant or overwrite it (cookie tossing, fixation).
 * HttpOnly keeps it from scripts; SameSite=Lax keeps it off cross-site POSTs (CSRF is checked anyway).
 */
export const SESSION_COOKIE = '__Host-sid';

export function sessionCookie(id: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${id}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=Lax`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax`;
}

/** The value of our cookie in a `Cookie` header; the first one wins, as in browsers' ordering. */
export function readSessionCookie(header: string | undefined): string | null {
  if (!header || header.length > 8192) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return null;
}
