/**
 * W5: anonymous-proxy lists from a file and from a URL (a local HTTP server here, never the internet):
 * refreshed on a schedule, a failed, empty or garbage download never replaces the list, and the last good
 * copy on disk protects the next boot when the list's host is down.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseIpList } from '../../src/waf/ip-list.js';
import { refuseReason } from '../../src/waf/proxy-lists.js';
import { request, startServer, type TestServer } from '../helpers/server.js';
import { blockCount, events, waitFor } from './waf-helpers.js';

describe('W5 proxy list acceptance', () => {
  it('accepts a list with a few bad lines and refuses empty or mostly-garbage downloads', () => {
    expect(refuseReason(parseIpList('# tor exits\n185.220.101.1\n185.220.101.2\n2001:db8::/32\n'))).toBeNull();
    const mostlyGood = `${Array.from({ length: 50 }, (_, i) => `10.0.${i}.0/24`).join('\n')}\nbroken\n`;
    expect(refuseReason(parseIpList(mostlyGood))).toBeNull();
    expect(refuseReason(parseIpList(''))).toMatch(/empty/);
    expect(refuseReason(parseIpList('# only comments\n\n'))).toMatch(/empty/);
    expect(refuseReason(parseIpList('<html><body>502 Bad Gateway</body></html>'))).toMatch(/no line/);
    expect(refuseReason(parseIpList('1.2.3.4\n<html>\n<body>\nerror\n</body>\n'))).toMatch(/4 of 5 entries/);
  });
});

// The list host: tests change what it answers.
const upstream = { status: 200, body: '', requests: 0 };
let listHost: http.Server;
let listUrl: string;
beforeAll(async () => {
  listHost = http.createServer((_req, res) => {
    upstream.requests++;
    res.writeHead(upstream.status, { 'content-type': 'text/plain' });
    res.end(upstream.body);
  });
  await new Promise<void>((resolve) => listHost.listen(0, '127.0.0.1', resolve));
  listUrl = `http://127.0.0.1:${(listHost.address() as AddressInfo).port}/exits.txt`;
});
afterAll(async () => {
  await new Promise((resolve) => listHost.close(resolve));
});

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const base = { TRUST_PROXY_HOPS: '1', WAF_CHALLENGE: 'off', WAF_BLOCK_PROXIES: 'true' };
const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });

describe('W5 anonymous-proxy blocking', () => {
  const dir = mkdtempSync(join(tmpdir(), 'waf-proxy-'));

  it('blocks addresses from the proxy list file, only when WAF_BLOCK_PROXIES is on', async () => {
    const file = join(dir, 'tor.txt');
    writeFileSync(file, '# Tor exit nodes\n185.220.101.1\n185.220.101.0/26 # a relay family\n2a0b:f4c2::/40\n');
    server = await startServer({ ...base, WAF_PROXY_LIST_FILE: file });
    const res = await request(server, '/health', from('185.220.101.33'));
    expect(res.status).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'forbidden', message: 'Forbidden' });
    expect((await request(server, '/health', from('2a0b:f4c2:1::9'))).status).toBe(403);
    expect((await request(server, '/health', from('185.220.101.64'))).status).toBe(200);
    expect(events(server, 'waf_block')[0]).toMatchObject({ rule: 'proxy' });
    expect(blockCount(server, 'proxy')).toBe(2);
    await server.close();
    server = await startServer({ ...base, WAF_BLOCK_PROXIES: 'false', WAF_PROXY_LIST_FILE: file });
    expect((await request(server, '/health', from('185.220.101.33'))).status).toBe(200);
  });

  it('downloads the URL list, keeps it through failed, empty and garbage refreshes, then applies a good one', async () => {
    const cache = join(dir, 'cache-1.txt');
    upstream.status = 200;
    upstream.body = '# exits\n198.51.100.1\n198.51.100.2\n';
    server = await startServer({
      ...base,
      WAF_PROXY_LIST_URL: listUrl,
      WAF_PROXY_LIST_CACHE: cache,
      WAF_PROXY_LIST_REFRESH_S: '1',
    });
    const s = server;
    expect((await request(s, '/health', from('198.51.100.1'))).status).toBe(403);
    expect(readFileSync(cache, 'utf8')).toBe(upstream.body); // the last good copy is on disk

    const failures = () => events(s, 'waf_list_refresh_failed').length;
    for (const bad of [
      { status: 500, body: 'oops' },
      { status: 200, body: '' },
      { status: 200, body: '<html><body>Service temporarily unavailable</body></html>' },
    ]) {
      const before = failures();
      Object.assign(upstream, bad);
      await waitFor(() => failures() > before);
      expect((await request(s, '/health', from('198.51.100.1'))).status).toBe(403);
      expect((await request(s, '/health', from('198.51.100.2'))).status).toBe(403);
    }
    expect(readFileSync(cache, 'utf8')).toContain('198.51.100.1'); // the cache was not overwritten either

    upstream.status = 200;
    upstream.body = '203.0.113.0/24\n';
    await waitFor(async () => (await request(s, '/health', from('203.0.113.50'))).status === 403);
    expect((await request(s, '/health', from('198.51.100.1'))).status).toBe(200);
  });

  it('starts from the cached copy when the list host is down', async () => {
    const cache = join(dir, 'cache-2.txt');
    writeFileSync(cache, '192.0.2.0/24\n');
    const deadUrl = 'http://127.0.0.1:9/exits.txt'; // discard port: nothing listens
    server = await startServer({ ...base, WAF_PROXY_LIST_URL: deadUrl, WAF_PROXY_LIST_CACHE: cache });
    expect((await request(server, '/health', from('192.0.2.7'))).status).toBe(403);
    await waitFor(() => events(server!, 'waf_list_refresh_failed').length > 0);
    expect((await request(server, '/health', from('192.0.2.7'))).status).toBe(403);
    expect(readFileSync(cache, 'utf8')).toBe('192.0.2.0/24\n');
  });

  it('boots with an empty list (and says so) when there is neither a cache nor a reachable host', async () => {
    const cache = join(dir, 'cache-3.txt');
    server = await startServer({ ...base, WAF_PROXY_LIST_URL: 'http://127.0.0.1:9/x', WAF_PROXY_LIST_CACHE: cache });
    expect(events(server, 'waf_list_refresh_failed')).toHaveLength(1);
    expect((await request(server, '/health', from('192.0.2.7'))).status).toBe(200);
    expect(existsSync(cache)).toBe(false);
  });

  it('refuses a proxy list file with bad lines at boot', async () => {
    const file = join(dir, 'bad.txt');
    writeFileSync(file, '185.220.101.1\n185.220.101.999\n');
    await expect(startServer({ ...base, WAF_PROXY_LIST_FILE: file })).rejects.toThrow(/WAF_PROXY_LIST_FILE .*line 2/);
  });
});
