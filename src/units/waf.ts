import type { Unit } from '../engine/unit.js';

/**
 * Feature `waf` (W1–W5): in-process edge filtering — IP/CIDR allow and deny lists, anonymous-proxy lists,
 * countries from an offline database or a CDN header, attack-tool user agents, and a flood gate with an ALTCHA
 * proof-of-work challenge and load shedding. Runs before hosts, CORS, limits, body parsing, auth and routes.
 * Every variable is explained with an example in the generated docs/WAF.md.
 */
export const unit: Unit = {
  id: 'waf',
  title: 'Edge filtering (WAF)',
  checklist: ['W1', 'W2', 'W3', 'W4', 'W5'],
  dependencies: ['maxmind', '@ip-location-db/geo-whois-asn-country-mmdb', 'altcha-lib'],
  env: [
    { name: 'WAF_ENABLED', example: 'true', description: 'false turns every WAF rule off (side-by-side benchmarks only)' },
    { name: 'WAF_BLOCK_IPS', example: '', description: 'Comma list of IPv4/IPv6 addresses and CIDR ranges to refuse with 403' },
    { name: 'WAF_ALLOW_IPS', example: '', description: 'Comma list of addresses/ranges that skip every WAF rule (wins over all blocks)' },
    { name: 'WAF_BLOCK_IPS_FILE', example: '', description: 'File of addresses/ranges, one a line, # comments; re-read on SIGHUP and on change' },
    { name: 'WAF_BLOCK_USER_AGENTS', example: '', description: 'Extra user agents to refuse: case-insensitive substrings or /regex/, comma-separated' },
    { name: 'WAF_BUILTIN_USER_AGENTS', example: 'true', description: 'Refuse the built-in list of attack tools and abusive scrapers (sqlmap, nikto, nuclei, ...)' },
    { name: 'WAF_BLOCK_EMPTY_UA', example: 'false', description: 'Refuse requests without a User-Agent header' },
    { name: 'WAF_BLOCK_COUNTRIES', example: '', description: 'ISO 3166 alpha-2 codes to refuse, e.g. KP,IR' },
    { name: 'WAF_ALLOW_COUNTRIES', example: '', description: 'ISO codes to allow; when set every other (and unknown) country is refused' },
    { name: 'WAF_GEOIP_DB', example: '', description: 'Path of an mmdb country database replacing the bundled CC0 one' },
    { name: 'WAF_COUNTRY_HEADER', example: '', description: 'Trusted CDN header with the client country (e.g. CF-IPCountry); only set it behind that CDN' },
    { name: 'WAF_BLOCK_PROXIES', example: 'false', description: 'Refuse addresses on the anonymous-proxy lists (Tor exits, VPN/hosting ranges)' },
    { name: 'WAF_PROXY_LIST_FILE', example: '', description: 'Local proxy list file, one IP/CIDR a line; re-read on SIGHUP and on change' },
    { name: 'WAF_PROXY_LIST_URL', example: '', description: 'https URL of a proxy list, downloaded at boot and every WAF_PROXY_LIST_REFRESH_S' },
    { name: 'WAF_PROXY_LIST_REFRESH_S', example: '3600', description: 'Seconds between proxy list downloads' },
    { name: 'WAF_PROXY_LIST_CACHE', example: './data/waf-proxy-list.txt', description: 'Where the last good download is kept (used at the next boot)' },
    { name: 'WAF_CHALLENGE', example: 'auto', description: 'off, auto (challenge clients over the threshold) or always (under attack)' },
    { name: 'WAF_CHALLENGE_THRESHOLD', example: '300', description: 'Requests per minute per client (IPv4 address or IPv6 /64) before the challenge' },
    { name: 'WAF_CHALLENGE_TTL', example: '300', description: 'Seconds a solved challenge pass stays valid' },
    { name: 'WAF_CHALLENGE_SECRET', example: '', secret: true, description: 'HMAC key (32+ characters) for challenges and passes, shared by all instances' },
    { name: 'WAF_CHALLENGE_MAX_NUMBER', example: '100000', description: 'Proof-of-work size (ALTCHA maxnumber); clients try about half on average' },
    { name: 'WAF_HARD_THRESHOLD', example: '5000', description: 'Requests per second per instance above which the WAF answers 503 at once (0: off)' },
  ],
  module: 'waf/module',
  preload: 'waf/preload',
  order: 50,
};
