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
import { parseIpList, summarize } from '../../src/waf/ip-list.js';
import { downgraded, refuseReason } from '../../src/waf/proxy-lists.js';
import { buildProxySet, buildProxySetInWorker } from '../../src/waf/proxy-set.js';
import { request, startServer, type TestServer } from '../helpers/server.js';
import { blockCount, countWorkers, events, waitFor } from './waf-helpers.js';

describe('W5 proxy list acceptance', () => {
  it('refuses a list asked for over https that a redirect brought over http', () => {
    expect(downgraded('https://lists.example/tor.txt', 'http://mirror.example/tor.txt')).toBe(true);
    expect(downgraded('https://lists.example/tor.txt', 'https://cdn.example/tor.txt')).toBe(false);
    expect(downgraded('http://127.0.0.1:8080/tor.txt', 'http://127.0.0.1:8080/moved.txt')).toBe(false);
  });

  it('accepts a list with a few bad lines and refuses empty or mostly-garbage downloads', () => {
    expect(
      refuseReason(summarize(parseIpList('# tor exits\n185.220.101.1\n185.220.101.2\n2001:db8::/32\n'))),
    ).toBeNull();
    const mostlyGood = `${Array.from({ length: 50 }, (_, i) => `10.0.${i}.0/24`).join('\n')}\nbroken\n`;
    expect(refuseReason(summarize(parseIpList(mostlyGood)))).toBeNull();
    expect(refuseReason(summarize(parseIpList('')))).toMatch(/empty/);
    expect(refuseReason(summarize(parseIpList('# only comments\n\n')))).toMatch(/empty/);
    expect(refuseReason(summarize(parseIpList('<html><body>502 Bad Gateway</body></html>')))).toMatch(/no line/);
    expect(refuseReason(summarize(parseIpList('1.2.3.4\n<html>\n<body>\nerror\n</body>\n')))).toMatch(/4 of 5 entries/);
  });
});

// The list host: tests change what it answers.
const upstream = { status: 200, body: '', requests: 0 };
let listHost: http.Server;
let listUrl: string;
beforeAll(async () => {
  listHost = http.createServer((req, res) => {
    if (req.url === '/moved') {
      res.writeHead(302, { location: '/exits.txt' }).end();
      return;
    }
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

  it('follows a redirect that keeps the protocol', async () => {
    upstream.status = 200;
    upstream.body = '192.0.2.128/25\n';
    const moved = listUrl.replace('/exits.txt', '/moved');
    server = await startServer({ ...base, WAF_PROXY_LIST_URL: moved, WAF_PROXY_LIST_CACHE: join(dir, 'cache-4.txt') });
    expect((await request(server, '/health', from('192.0.2.200'))).status).toBe(403);
    expect(events(server, 'waf_list_refresh_failed')).toHaveLength(0);
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

describe('W5 proxy lists rebuilt off the main thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'waf-proxy-merge-'));

  it('builds in a worker the same set, with the same report, as in this thread', async () => {
    let seed = 11;
    const o = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed >>> 24;
    };
    const url = Array.from({ length: 20_000 }, (_, i) =>
      i % 500 === 0 ? 'garbage' : i % 9 === 0 ? `2001:db8:${o().toString(16)}::/48` : `${o()}.${o()}.${o()}.0/24`,
    ).join('\n');
    const texts = { file: '192.0.2.7\n# mine\n', url };
    let inWorker: Awaited<ReturnType<typeof buildProxySetInWorker>> | undefined;
    expect(await countWorkers(async () => (inWorker = await buildProxySetInWorker(texts)))).toBe(1);
    const here = buildProxySet(texts);
    expect(inWorker).toEqual(here);
    expect(here.url).toMatchObject({ entries: 20_000, ranges: 19_960, problemCount: 40 });
    expect(here.url?.problems[0]).toEqual({ line: 1, text: 'garbage' });
    expect(here.file).toMatchObject({ entries: 1, ranges: 1, problemCount: 0 });
  });

  it('keeps both sources through changes to either: a reloaded file, a refresh, a bad file', async () => {
    const file = join(dir, 'mine.txt');
    writeFileSync(file, '192.0.2.0/24\n');
    upstream.status = 200;
    upstream.body = '198.51.100.0/24\n';
    server = await startServer({
      ...base,
      WAF_PROXY_LIST_FILE: file,
      WAF_PROXY_LIST_URL: listUrl,
      WAF_PROXY_LIST_CACHE: join(dir, 'cache.txt'),
      WAF_PROXY_LIST_REFRESH_S: '1',
    });
    const s = server;
    const status = async (ip: string) => (await request(s, '/health', from(ip))).status;
    expect(await status('192.0.2.9')).toBe(403);
    expect(await status('198.51.100.9')).toBe(403);

    // The file changes: reloaded in a worker, and the download's entries stay.
    const reloads = () => events(s, 'waf_list_reloaded').filter((e) => e.list === 'proxy_file').length;
    let before = reloads();
    const workers = await countWorkers(async () => {
      writeFileSync(file, '203.0.113.0/24\n');
      await waitFor(() => reloads() > before);
    });
    expect(workers).toBeGreaterThanOrEqual(1);
    expect(await status('203.0.113.9')).toBe(403);
    expect(await status('192.0.2.9')).toBe(200);
    expect(await status('198.51.100.9')).toBe(403);

    // The download changes: the file's entries stay.
    upstream.body = '100.64.0.0/10\n';
    await waitFor(async () => (await status('100.64.1.1')) === 403);
    expect(await status('198.51.100.9')).toBe(200);
    expect(await status('203.0.113.9')).toBe(403);

    // A bad file is refused with its line, and everything in force stays.
    const failed = () => events(s, 'waf_list_reload_failed').length;
    before = failed();
    writeFileSync(file, '203.0.113.0/24\nnope\n');
    await waitFor(() => failed() > before);
    expect(events(s, 'waf_list_reload_failed').at(-1)?.reason).toMatch(/line 2: "nope"/);
    expect(await status('203.0.113.9')).toBe(403);
    expect(await status('100.64.1.1')).toBe(403);
  });
});
