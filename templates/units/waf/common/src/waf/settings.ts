/**
 * The WAF's settings (W1–W5): environment variable names as keys, validated at boot with the rest of the
 * configuration (C21). Lists of addresses and patterns are checked here, so a typo stops the boot with the
 * variable's name and the entry's position instead of silently not blocking.
 */
import { z } from 'zod';
import { bool, int, list } from '../core/settings.js';
import { parseIpEntries } from './ip-list.js';
import { splitUaPatterns } from './user-agents.js';

function ipList() {
  return list().superRefine((items, ctx) => {
    const { bad } = parseIpEntries(items);
    if (bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `entries ${bad.slice(0, 10).join(', ')} are not IP addresses or CIDR ranges (counting from 1)`,
      });
    }
  });
}

function countryList() {
  return list()
    .transform((codes) => codes.map((code) => code.toUpperCase()))
    .pipe(z.array(z.string().regex(/^[A-Z][A-Z0-9]$/, { message: 'entries must be ISO 3166 alpha-2 codes like DE' })));
}

const uaPatterns = z.string().transform((value, ctx) => {
  const { patterns, problems } = splitUaPatterns(value);
  for (const problem of problems) ctx.addIssue({ code: 'custom', message: problem });
  return patterns;
});

const path = z.string().trim().min(1);

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

export const settings = {
  /** Turn the whole WAF off (for a side-by-side benchmark); on by default. */
  WAF_ENABLED: bool().default(true),
  /** W1: addresses and CIDR ranges, IPv4 and IPv6. The allowlist wins over every WAF rule. */
  WAF_BLOCK_IPS: ipList().default([]),
  WAF_ALLOW_IPS: ipList().default([]),
  /** W1: a file of addresses/ranges, one a line, `#` comments; re-read on SIGHUP and when it changes. */
  WAF_BLOCK_IPS_FILE: path.optional(),
  /** W2: extra agents: case-insensitive substrings or `/regex/` (flag `i` allowed). */
  WAF_BLOCK_USER_AGENTS: uaPatterns.default([]),
  /** W2: the built-in list of attack tools and abusive scrapers. */
  WAF_BUILTIN_USER_AGENTS: bool().default(true),
  /** W2: refuse requests without a User-Agent. */
  WAF_BLOCK_EMPTY_UA: bool().default(false),
  /** W3: ISO 3166 alpha-2 codes. */
  WAF_BLOCK_COUNTRIES: countryList().default([]),
  WAF_ALLOW_COUNTRIES: countryList().default([]),
  /** W3: an mmdb country database replacing the bundled one. */
  WAF_GEOIP_DB: path.optional(),
  /** W3: a CDN header carrying the client's country (e.g. CF-IPCountry); trusted only when set. */
  WAF_COUNTRY_HEADER: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{1,64}$/, { message: 'must be a header name like CF-IPCountry' })
    .transform((name) => name.toLowerCase())
    .optional(),
  /** W5: block addresses on the anonymous-proxy lists. */
  WAF_BLOCK_PROXIES: bool().default(false),
  WAF_PROXY_LIST_FILE: path.optional(),
  WAF_PROXY_LIST_URL: z.string().trim().refine(isHttpUrl, { message: 'must be an http(s) URL' }).optional(),
  WAF_PROXY_LIST_REFRESH_S: int(1, 7 * 24 * 3600).default(3600),
  WAF_PROXY_LIST_CACHE: path.default('./data/waf-proxy-list.txt'),
  /** W4: `off`, `auto` (over the threshold), `always` (under attack). */
  WAF_CHALLENGE: z.enum(['off', 'auto', 'always']).default('auto'),
  /** W4: requests per minute per client (IPv4 address or IPv6 /64) before the challenge. */
  WAF_CHALLENGE_THRESHOLD: int(1, 10_000_000).default(300),
  /** W4: how long a pass lasts, in seconds. */
  WAF_CHALLENGE_TTL: int(1, 86_400).default(300),
  /** W4: HMAC key for challenges and passes; shared by every instance. Random per boot when unset. */
  WAF_CHALLENGE_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
  /** W4: the proof-of-work size (ALTCHA maxnumber): the browser tries ~half of it on average. */
  WAF_CHALLENGE_MAX_NUMBER: int(1000, 10_000_000).default(100_000),
  /** W4: requests per second per instance above which the server answers 503 at once (0 = off). */
  WAF_HARD_THRESHOLD: int(0, 10_000_000).default(5000),
};
