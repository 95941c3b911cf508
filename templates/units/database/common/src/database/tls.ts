import { readFileSync } from 'node:fs';
import type { DatabaseSettings, SslMode } from './settings.js';

/** URL parameters that carry a TLS wish (libpq `sslmode`, MySQL `ssl-mode`, and common spellings). */
export const URL_TLS_PARAMS = ['sslmode', 'ssl-mode', 'ssl_mode', 'ssl'] as const;
/** Further TLS parameters drivers would read from the URL; removed so that only DATABASE_SSL/CA decide. */
const OTHER_TLS_PARAMS = ['sslcert', 'sslkey', 'sslrootcert', 'sslpassword', 'sslnegotiation', 'uselibpqcompat'];

/** The TLS mode a URL asks for, or undefined when it says nothing we can honour (`prefer`/`allow` would let a
 * network attacker downgrade to plain text, so they do not count as a request for TLS). */
export function urlSslMode(url: URL): SslMode | undefined {
  for (const name of URL_TLS_PARAMS) {
    const value = url.searchParams.get(name)?.toLowerCase();
    if (value === undefined) continue;
    if (['disable', 'disabled', 'false', '0'].includes(value)) return 'disable';
    if (['require', 'required', 'true', '1'].includes(value)) return 'require';
    if (['verify-ca', 'verify-full', 'verify_ca', 'verify_identity'].includes(value)) return 'verify-full';
  }
  return undefined;
}

/** Strip every TLS parameter from the URL: the driver must not override the mode resolved here. */
export function withoutTlsParams(url: URL): URL {
  const copy = new URL(url.href);
  for (const name of [...URL_TLS_PARAMS, ...OTHER_TLS_PARAMS]) copy.searchParams.delete(name);
  return copy;
}

/** DATABASE_SSL wins; then the URL's sslmode; then `require` in production and `disable` elsewhere. */
export function resolveSslMode(settings: DatabaseSettings, url: URL): SslMode {
  return settings.DATABASE_SSL ?? urlSslMode(url) ?? (settings.NODE_ENV === 'production' ? 'require' : 'disable');
}

/** TLS options both drivers accept (a subset of Node's); host names are checked by Node's default. */
export interface TlsOptions {
  rejectUnauthorized: boolean;
  ca?: string;
}

/** TLS options for a mode; `false` means plain TCP. */
export function tlsOptions(mode: SslMode, ca: string | undefined): false | TlsOptions {
  if (mode === 'disable') return false;
  // `require` encrypts without verifying the chain: what Heroku Postgres supports (its certificates are not
  // issued by a public CA). Use verify-full with DATABASE_CA wherever the provider publishes its CA.
  if (mode === 'require') return { rejectUnauthorized: false };
  return ca === undefined ? { rejectUnauthorized: true } : { rejectUnauthorized: true, ca: readCa(ca) };
}

/** DATABASE_CA holds PEM text (Heroku config vars keep newlines; `\n` escapes from .env files are accepted)
 * or a path to a PEM file. */
export function readCa(value: string): string {
  if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n');
  try {
    return readFileSync(value, 'utf8');
  } catch {
    throw new Error('DATABASE_CA is neither PEM text nor a readable file path.');
  }
}

/** Production refuses a URL that turns TLS off unless DATABASE_SSL=disable says so explicitly (C09). */
export function tlsProductionIssues(settings: DatabaseSettings): string[] {
  if (settings.NODE_ENV !== 'production' || settings.DATABASE_SSL !== undefined) return [];
  let url: URL;
  try {
    url = new URL(settings.DATABASE_URL);
  } catch {
    return [];
  }
  return urlSslMode(url) === 'disable'
    ? [
        'DATABASE_URL turns TLS off (sslmode=disable) in production: remove it so the connection is encrypted, ' +
          'or set DATABASE_SSL=disable to accept an unencrypted connection explicitly.',
      ]
    : [];
}
