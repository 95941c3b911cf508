/**
 * Country rules (W3). Which country a request comes from: the trusted CDN header when WAF_COUNTRY_HEADER is
 * configured and carries a two-letter code, otherwise the offline database on the client IP (C34).
 *
 * Policy (documented in docs/WAF.md):
 * - The CDN header, when configured and present, wins (the CDN saw the real client).
 * - Otherwise private, loopback, link-local and other non-routable addresses have no country and are never
 *   blocked by country: they are your own network (health checks, sidecars), not internet clients.
 * - A public address the database does not know ("unknown") is allowed when only WAF_BLOCK_COUNTRIES is set,
 *   and blocked when WAF_ALLOW_COUNTRIES is set (an allowlist fails closed).
 * - Block wins over allow for a code in both lists.
 */
import type { IncomingMessage } from 'node:http';
import type { CountryDb } from './country-db.js';
import type { Address } from './ip.js';
import { IpSet, parseRange, type Range } from './ip-set.js';

/** RFC 6890 special-purpose blocks that never carry a country. */
const NON_ROUTABLE = IpSet.from(
  [
    '0.0.0.0/8',
    '10.0.0.0/8',
    '100.64.0.0/10',
    '127.0.0.0/8',
    '169.254.0.0/16',
    '172.16.0.0/12',
    '192.0.0.0/24',
    '192.0.2.0/24',
    '192.168.0.0/16',
    '198.18.0.0/15',
    '198.51.100.0/24',
    '203.0.113.0/24',
    '224.0.0.0/4',
    '240.0.0.0/4',
    '::/128',
    '::1/128',
    '64:ff9b:1::/48',
    '100::/64',
    '2001:db8::/32',
    'fc00::/7',
    'fe80::/10',
    'ff00::/8',
  ].map((cidr) => parseRange(cidr) as Range),
);

export function isNonRoutable(a: Address): boolean {
  return NON_ROUTABLE.hasAddress(a);
}

export interface CountryOptions {
  block: readonly string[];
  allow: readonly string[];
  /** Lowercased header name, or undefined when no CDN header is trusted. */
  header?: string;
  db: CountryDb | null;
}

export class CountryRules {
  private readonly block: Set<string>;
  private readonly allow: Set<string>;
  private readonly header: string | undefined;
  private readonly db: CountryDb | null;

  constructor(options: CountryOptions) {
    this.block = new Set(options.block.map((c) => c.toUpperCase()));
    this.allow = new Set(options.allow.map((c) => c.toUpperCase()));
    this.header = options.header?.toLowerCase();
    this.db = options.db;
  }

  get active(): boolean {
    return this.block.size > 0 || this.allow.size > 0;
  }

  /** The trusted header's code, when the header is configured, present and well-formed. */
  private headerCountry(headers: IncomingMessage['headers']): string | null {
    if (this.header === undefined) return null;
    const value = headers[this.header];
    if (typeof value !== 'string' || value.length !== 2) return null;
    const code = value.toUpperCase();
    // Cloudflare sends XX for unknown; T1 (Tor) is a code you may list.
    return /^[A-Z][A-Z0-9]$/.test(code) && code !== 'XX' ? code : null;
  }

  /** The request's country: the trusted header's, else the database's; null when unknown or non-routable. */
  countryOf(a: Address, headers: IncomingMessage['headers']): string | null {
    const fromHeader = this.headerCountry(headers);
    if (fromHeader !== null) return fromHeader;
    if (this.db === null || isNonRoutable(a)) return null;
    return this.db.lookup(a);
  }

  /** True when the policy above blocks this request. */
  blocks(a: Address, headers: IncomingMessage['headers']): boolean {
    const fromHeader = this.headerCountry(headers);
    let code: string | null;
    if (fromHeader !== null) code = fromHeader;
    else if (isNonRoutable(a)) return false;
    else code = this.db ? this.db.lookup(a) : null;
    if (code === null) return this.allow.size > 0;
    if (this.block.has(code)) return true;
    return this.allow.size > 0 && !this.allow.has(code);
  }
}
