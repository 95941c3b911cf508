/**
 * Where the database is, for messages and logs, without credentials or query parameters:
 * `postgres://db.example.com:5432/app`, never the user name, password or TLS options.
 */
export function describeTarget(databaseUrl: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(databaseUrl)) {
    // SQLite file: the path is not a secret; a query string might be, so it goes.
    return databaseUrl.split('?')[0] ?? databaseUrl;
  }
  try {
    const url = new URL(databaseUrl);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '(an unparseable DATABASE_URL)';
  }
}

/** Remove the URL's password from a driver message, in case a driver ever echoes it back. */
export function scrubSecrets(message: string, databaseUrl: string): string {
  let password = '';
  try {
    password = decodeURIComponent(new URL(databaseUrl).password);
  } catch {
    // not a URL: no password to hide
  }
  return password.length >= 3 ? message.split(password).join('***') : message;
}
