/**
 * W3: country rules. The hand-written mmdb tree walk is checked against maxmind's own reader on random
 * addresses; the policy (block, allow, unknown, private, CDN header) is checked over real HTTP.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Reader, type Response } from 'maxmind';
import { afterEach, describe, expect, it } from 'vitest';
import { bundledCountryDbPath, CountryDb } from '../../src/waf/country-db.js';
import { newAddress, parseAddress } from '../../src/waf/ip.js';
import { request, startServer, type TestServer } from '../helpers/server.js';
import { blockCount, events } from './waf-helpers.js';

const v4OnlyDb = createRequire(import.meta.url).resolve(
  '@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country-ipv4.mmdb',
);

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

describe('W3 country database lookup', () => {
  it('agrees with maxmind on 20,000 random IPv4 and IPv6 addresses', async () => {
    const path = bundledCountryDbPath();
    const ours = await CountryDb.open(path);
    const reference = new Reader<Response>(readFileSync(path));
    const rand = seeded(7);
    const a = newAddress();
    let known = 0;
    for (let i = 0; i < 10_000; i++) {
      const v4 = `${(rand() * 224) | 0}.${(rand() * 256) | 0}.${(rand() * 256) | 0}.${(rand() * 256) | 0}`;
      const v6 = `2${((rand() * 0x1000) | 0).toString(16).padStart(3, '0')}:${((rand() * 0x10000) | 0).toString(16)}::${((rand() * 0x10000) | 0).toString(16)}`;
      for (const ip of [v4, v6]) {
        parseAddress(ip, a);
        const expected = (reference.get(ip) as { country_code?: string } | null)?.country_code ?? null;
        if (expected !== null) known++;
        expect(ours.lookup(a), ip).toBe(expected);
      }
    }
    expect(known).toBeGreaterThan(5000);
  });

  it('reads an IPv4-only database, where IPv6 is unknown', async () => {
    const db = await CountryDb.open(v4OnlyDb);
    const a = newAddress();
    parseAddress('193.99.144.80', a);
    expect(db.lookup(a)).toBe('DE');
    parseAddress('2003::1', a);
    expect(db.lookup(a)).toBeNull();
  });
});

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const base = { TRUST_PROXY_HOPS: '1', WAF_CHALLENGE: 'off' };
const from = (ip: string, headers: Record<string, string> = {}) => ({ headers: { 'x-forwarded-for': ip, ...headers } });

// Addresses and their countries in the bundled database (pinned version).
const US = '8.8.8.8';
const DE = '193.99.144.80';
const DE6 = '2003::1';
const GB = '81.2.69.142';
const UNKNOWN = '4000::1'; // public-looking, not allocated: the database has no country for it

describe('W3 country blocking', () => {
  it('refuses an address in a blocked country, IPv4 and IPv6, and lets others through', async () => {
    server = await startServer({ ...base, WAF_BLOCK_COUNTRIES: 'de,kp' });
    const res = await request(server, '/health', from(DE));
    expect(res.status).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
    expect((await request(server, '/health', from(DE6))).status).toBe(403);
    expect((await request(server, '/health', from(US))).status).toBe(200);
    expect((await request(server, '/health', from(UNKNOWN))).status).toBe(200); // unknown allowed without an allowlist
    expect(events(server, 'waf_block')[0]).toMatchObject({ rule: 'country' });
    expect(blockCount(server, 'country')).toBe(2);
  });

  it('with an allowlist refuses every other country and unknown addresses, never private ones', async () => {
    server = await startServer({ ...base, WAF_ALLOW_COUNTRIES: 'US,GB' });
    expect((await request(server, '/health', from(US))).status).toBe(200);
    expect((await request(server, '/health', from(GB))).status).toBe(200);
    expect((await request(server, '/health', from(DE))).status).toBe(403);
    expect((await request(server, '/health', from(UNKNOWN))).status).toBe(403);
    expect((await request(server, '/health', from('10.1.2.3'))).status).toBe(200);
    expect((await request(server, '/health', from('fd00::1'))).status).toBe(200);
    expect((await request(server, '/health')).status).toBe(200); // no header: the socket address, 127.0.0.1
  });

  it('a forged X-Forwarded-For entry does not change the country', async () => {
    server = await startServer({ ...base, WAF_BLOCK_COUNTRIES: 'DE' });
    expect((await request(server, '/health', from(`${US}, ${DE}`))).status).toBe(403);
    expect((await request(server, '/health', from(`${DE}, ${US}`))).status).toBe(200);
  });

  it('uses WAF_GEOIP_DB instead of the bundled database', async () => {
    server = await startServer({ ...base, WAF_BLOCK_COUNTRIES: 'DE', WAF_GEOIP_DB: v4OnlyDb });
    expect((await request(server, '/health', from(DE))).status).toBe(403);
    expect((await request(server, '/health', from(DE6))).status).toBe(200); // not in an IPv4-only database
  });

  it('trusts the CDN country header only when configured', async () => {
    server = await startServer({ ...base, WAF_BLOCK_COUNTRIES: 'FR' });
    expect((await request(server, '/health', from(US, { 'cf-ipcountry': 'FR' }))).status).toBe(200);
    await server.close();
    server = await startServer({ ...base, WAF_BLOCK_COUNTRIES: 'FR,T1', WAF_COUNTRY_HEADER: 'CF-IPCountry' });
    expect((await request(server, '/health', from(US, { 'cf-ipcountry': 'FR' }))).status).toBe(403);
    expect((await request(server, '/health', from(US, { 'cf-ipcountry': 't1' }))).status).toBe(403);
    expect((await request(server, '/health', from(US, { 'cf-ipcountry': 'XX' }))).status).toBe(200); // unknown: falls back to the db
    expect((await request(server, '/health', from(US))).status).toBe(200);
  });

  it('refuses to boot with a malformed country code', async () => {
    await expect(startServer({ WAF_BLOCK_COUNTRIES: 'DE,Germany' })).rejects.toThrow(/WAF_BLOCK_COUNTRIES/);
  });
});
