/**
 * The credential of a request: `Authorization: Bearer <token>` only (RFC 6750 §2.1). Tokens in the query
 * string or the body are never read (they end up in logs and browser history), and other schemes (`Basic`,
 * `Token`, `JWT`) are not bearer tokens. The scheme name is case-insensitive (RFC 9110 §11.1).
 */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
const MAX_TOKEN_LENGTH = 4096;

export function bearerToken(authorization: string | undefined): string | null {
  if (authorization === undefined || authorization.length > MAX_TOKEN_LENGTH + 16) return null;
  const match = BEARER.exec(authorization.trim());
  return match ? (match[1] ?? null) : null;
}
