/**
 * W1: IP and CIDR blocking over real HTTP, with the client IP from trusted proxy hops (C34), allowlist
 * precedence, list files reloaded on change and on SIGHUP, and bad files refused with line numbers.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { request, startServer, type TestServer } from '../helpers/server.js';
import { blockCount, events, probeRoutes, reached, waitFor, withoutRequestId } from './waf-helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const behindProxy = { TRUST_PROXY_HOPS: '1', WAF_CHALLENGE: 'off' };
const from = (ip: string | string[], extra: Record<string, string> = {}) => ({
  headers: { 'x-forwarded-for': ip, ...extra },
});

describe('W1 IP/CIDR blocking', () => {
  it('refuses a blocked range with 403, the generic body, security headers, one warn line and a metric', async () => {
    server = await startServer({ ...behindProxy, WAF_BLOCK_IPS: '203.0.113.0/24' }, { extraRoutes: probeRoutes });
    const res = await request(server, '/api/v1/waf-probe', from('203.0.113.77'));
    expect(res.status).toBe(403);
    const body = res.json();
    expect(body).toEqual({ error: { code: 'forbidden', message: 'Forbidden', requestId: expect.any(String) } });
    expect(res.headers['x-request-id']).toBe(body.error.requestId);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    const blocks = events(server, 'waf_block');
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({ rule: 'ip', ip: '203.0.113.77' });
    expect(blocks[0]!.level === 40 || blocks[0]!.level === 'warn').toBe(true);
    expect(blockCount(server, 'ip')).toBe(1);
    expect((await request(server, '/api/v1/waf-probe', from('203.0.114.1'))).status).toBe(200);
  });

  it('answers identically whatever the path, method or auth, before routing or body parsing', async () => {
    server = await startServer({ ...behindProxy, WAF_BLOCK_IPS: '198.51.100.7' }, { extraRoutes: probeRoutes });
    const before = reached.count;
    const answers = await Promise.all([
      request(server, '/api/v1/waf-probe', from('198.51.100.7')),
      request(server, '/health', from('198.51.100.7')),
      request(server, '/no/such/route', from('198.51.100.7')),
      request(server, '/api/v1/users/me', from('198.51.100.7', { authorization: 'Bearer nonsense' })),
      request(server, '/api/v1/waf-probe', {
        method: 'POST',
        body: '{not json',
        ...from('198.51.100.7', { 'content-type': 'application/json' }),
      }),
      request(server, '/api/v1/waf-probe', {
        ...from('198.51.100.7'),
        headers: { 'x-forwarded-for': '198.51.100.7', host: 'evil.example' },
      }),
    ]);
    const shapes = answers.map((r) => [
      r.status,
      r.headers['content-type'],
      JSON.stringify(withoutRequestId(r.json())),
    ]);
    for (const shape of shapes) expect(shape).toEqual(shapes[0]);
    expect(shapes[0]![0]).toBe(403);
    expect(reached.count).toBe(before); // no handler ran
  });

  it('refuses a blocked client sending a large body without reading it', async () => {
    server = await startServer({ ...behindProxy, WAF_BLOCK_IPS: '198.51.100.7' }, { extraRoutes: probeRoutes });
    // Content-Length promises 50 MB but only a few bytes come: the answer must not wait for the rest.
    const res = await request(server, '/api/v1/waf-probe', {
      method: 'POST',
      body: '{"a":1}',
      timeoutMs: 3000,
      ...from('198.51.100.7', { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) }),
    });
    expect(res.status).toBe(403);
  });

  it('uses the client IP from the trusted hop: forged X-Forwarded-For entries neither block nor unblock', async () => {
    server = await startServer({ ...behindProxy, WAF_BLOCK_IPS: '203.0.113.9', WAF_ALLOW_IPS: '192.0.2.1' });
    // The router appends the real client last; anything to its left was written by the client.
    expect((await request(server, '/health', from('192.0.2.1, 203.0.113.9'))).status).toBe(403);
    expect((await request(server, '/health', from(['192.0.2.1', '203.0.113.9']))).status).toBe(403);
    expect((await request(server, '/health', from('203.0.113.9, 198.51.100.1'))).status).toBe(200);
    expect((await request(server, '/health', from(['203.0.113.9', '198.51.100.1']))).status).toBe(200);
  });

  it('without trusted hops uses the socket address and ignores X-Forwarded-For', async () => {
    server = await startServer({ WAF_CHALLENGE: 'off', WAF_BLOCK_IPS: '127.0.0.1' });
    expect((await request(server, '/health', from('8.8.8.8'))).status).toBe(403);
    await server.close();
    server = await startServer({ WAF_CHALLENGE: 'off', WAF_BLOCK_IPS: '203.0.113.9' });
    expect((await request(server, '/health', from('203.0.113.9'))).status).toBe(200);
  });

  it('blocks IPv6 ranges, and IPv4 rules cover IPv4-mapped clients', async () => {
    server = await startServer({ ...behindProxy, WAF_BLOCK_IPS: '2001:db8:bad::/48, 198.51.100.0/24' });
    expect((await request(server, '/health', from('2001:db8:bad:1::5'))).status).toBe(403);
    expect((await request(server, '/health', from('2001:DB8:BAD::1'))).status).toBe(403);
    expect((await request(server, '/health', from('2001:db8:bae::1'))).status).toBe(200);
    expect((await request(server, '/health', from('::ffff:198.51.100.20'))).status).toBe(403);
  });

  it('lets the allowlist win over every block rule', async () => {
    server = await startServer({
      ...behindProxy,
      WAF_BLOCK_IPS: '0.0.0.0/0,::/0',
      WAF_ALLOW_IPS: '198.51.100.10,2001:db8:600d::/48',
      WAF_BLOCK_EMPTY_UA: 'true',
    });
    expect((await request(server, '/health', from('198.51.100.10'))).status).toBe(200);
    expect((await request(server, '/health', from('2001:db8:600d::1'))).status).toBe(200);
    expect((await request(server, '/health', from('198.51.100.10', { 'user-agent': 'sqlmap/1.7' }))).status).toBe(200);
    expect((await request(server, '/health', from('198.51.100.11'))).status).toBe(403);
    expect((await request(server, '/health', from('2001:db8:600e::1'))).status).toBe(403);
  });

  it('WAF_ENABLED=false turns every rule off', async () => {
    server = await startServer({ WAF_ENABLED: 'false', WAF_BLOCK_IPS: '127.0.0.1', WAF_CHALLENGE: 'always' });
    expect((await request(server, '/health', { headers: { 'user-agent': 'sqlmap/1.7' } })).status).toBe(200);
    expect(events(server, 'waf_block')).toHaveLength(0);
  });

  it('refuses to boot with a bad address in WAF_BLOCK_IPS, naming the variable', async () => {
    await expect(startServer({ WAF_BLOCK_IPS: '10.0.0.0/8, 10.0.0.300' })).rejects.toThrow(
      /WAF_BLOCK_IPS: .*entries 2 /,
    );
    await expect(startServer({ WAF_ALLOW_IPS: '::/129' })).rejects.toThrow(/WAF_ALLOW_IPS/);
  });
});

describe('W1 IP list file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'waf-ips-'));

  it('loads the file at boot and refuses a bad file with its line numbers', async () => {
    const file = join(dir, 'bad.txt');
    writeFileSync(file, '# list\n203.0.113.0/24\nnot-an-ip\n\n2001:db8::/32\n10.0.0.0/33\n');
    await expect(startServer({ WAF_BLOCK_IPS_FILE: file })).rejects.toThrow(
      /line 3: "not-an-ip".*line 6: "10\.0\.0\.0\/33"/,
    );
    await expect(startServer({ WAF_BLOCK_IPS_FILE: join(dir, 'missing.txt') })).rejects.toThrow(/ENOENT/);
  });

  it('reloads when the file changes, and keeps the old list when the new file is bad', async () => {
    const file = join(dir, 'live.txt');
    writeFileSync(file, '203.0.113.0/24 # scanners\n');
    server = await startServer({ ...behindProxy, WAF_BLOCK_IPS_FILE: file, WAF_BLOCK_IPS: '192.0.2.50' });
    const s = server;
    expect((await request(s, '/health', from('203.0.113.1'))).status).toBe(403);
    expect((await request(s, '/health', from('192.0.2.50'))).status).toBe(403); // env entries stay alongside the file
    expect((await request(s, '/health', from('198.51.100.1'))).status).toBe(200);

    writeFileSync(file, '198.51.100.0/24\n2001:db8:dead::/48\n');
    await waitFor(async () => (await request(s, '/health', from('198.51.100.1'))).status === 403);
    expect((await request(s, '/health', from('203.0.113.1'))).status).toBe(200);
    expect((await request(s, '/health', from('2001:db8:dead::9'))).status).toBe(403);
    expect((await request(s, '/health', from('192.0.2.50'))).status).toBe(403);

    writeFileSync(file, '198.51.100.0/24\ngarbage line\n');
    await waitFor(() => events(s, 'waf_list_reload_failed').length > 0);
    expect(JSON.stringify(events(s, 'waf_list_reload_failed')[0])).toContain('line 2');
    expect((await request(s, '/health', from('2001:db8:dead::9'))).status).toBe(403); // previous list still in force
  });

  it('reloads on SIGHUP', async () => {
    const file = join(dir, 'hup.txt');
    writeFileSync(file, '203.0.113.0/24\n');
    server = await startServer({ ...behindProxy, WAF_BLOCK_IPS_FILE: file });
    const reloads = () => events(server!, 'waf_list_reloaded').length;
    const before = reloads();
    process.kill(process.pid, 'SIGHUP'); // the file did not change: only the signal can cause this reload
    await waitFor(() => reloads() > before, 3000, 20);
    expect((await request(server, '/health', from('203.0.113.1'))).status).toBe(403);
  });
});
