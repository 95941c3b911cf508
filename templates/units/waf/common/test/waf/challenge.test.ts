/**
 * W4: flood protection. Over the per-client threshold (or always, under attack) API clients get 429 with an
 * ALTCHA challenge and browsers a self-contained page; a real solver (altcha-lib, and the page's own script)
 * solves it; the pass it earns works, and cannot be forged, replayed from another address, or used after its
 * TTL; a solution cannot be replayed; over the hard threshold the server sheds load.
 */
import { createHash } from 'node:crypto';
import vm from 'node:vm';
import { solveChallenge } from 'altcha-lib/v1';
import { afterEach, describe, expect, it } from 'vitest';
import { settingsShape } from '../../src/registry.js';
import { request, startServer, type TestResponse, type TestServer } from '../helpers/server.js';
import { blockCount, events } from './waf-helpers.js';

const servers: TestServer[] = [];
async function start(env: Record<string, string>): Promise<TestServer> {
  const s = await startServer({
    TRUST_PROXY_HOPS: '1',
    RATE_LIMIT_PER_MINUTE: '10000',
    WAF_CHALLENGE_MAX_NUMBER: '5000',
    ...env,
  });
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const as = (ip: string, headers: Record<string, string> = {}) => ({ headers: { 'x-forwarded-for': ip, ...headers } });

interface Challenge {
  algorithm: string;
  challenge: string;
  salt: string;
  signature: string;
  maxnumber: number;
}

/** Solve a challenge the way an API client would, with altcha-lib's own solver. */
async function solve(c: Challenge): Promise<string> {
  const solution = await solveChallenge(c.challenge, c.salt, c.algorithm, c.maxnumber).promise;
  if (!solution) throw new Error('challenge not solvable');
  const payload = {
    algorithm: c.algorithm,
    challenge: c.challenge,
    number: solution.number,
    salt: c.salt,
    signature: c.signature,
  };
  return Buffer.from(JSON.stringify(payload)).toString('base64');
}

function expectChallenge(res: TestResponse): Challenge {
  expect(res.status).toBe(429);
  const body = res.json();
  expect(body.error).toEqual({
    code: 'challenge_required',
    message: expect.any(String),
    requestId: expect.any(String),
  });
  expect(body.challenge).toEqual({
    algorithm: 'SHA-256',
    challenge: expect.stringMatching(/^[0-9a-f]{64}$/),
    salt: expect.any(String),
    signature: expect.stringMatching(/^[0-9a-f]{64}$/),
    maxnumber: 5000,
  });
  expect(res.headers['cache-control']).toContain('no-store');
  return body.challenge as Challenge;
}

/** Get a challenge and a pass for `ip` (the server must be challenging it). */
async function earnPass(s: TestServer, ip: string): Promise<string> {
  const c = expectChallenge(await request(s, '/api/v1/none', as(ip)));
  const res = await request(s, '/api/v1/none', as(ip, { 'x-altcha': await solve(c) }));
  const pass = res.headers['x-waf-pass'];
  expect(typeof pass).toBe('string');
  return pass as string;
}

describe('W4 challenge over the per-client threshold', () => {
  it('challenges a client over WAF_CHALLENGE_THRESHOLD per minute, and only that client', async () => {
    const s = await start({ WAF_CHALLENGE: 'auto', WAF_CHALLENGE_THRESHOLD: '3' });
    for (let i = 0; i < 3; i++) expect((await request(s, '/api/v1/none', as('198.51.100.1'))).status).toBe(404);
    expectChallenge(await request(s, '/api/v1/none', as('198.51.100.1')));
    expectChallenge(await request(s, '/api/v1/none', as('198.51.100.1')));
    // Forged entries to the left of the trusted hop do not make a new client.
    expectChallenge(await request(s, '/api/v1/none', as('10.9.8.7, 198.51.100.1')));
    expect((await request(s, '/api/v1/none', as('198.51.100.2'))).status).toBe(404);
    // One warn line when the client crosses the threshold, a metric per challenge.
    expect(events(s, 'waf_challenge')).toHaveLength(1);
    expect(events(s, 'waf_challenge')[0]).toMatchObject({ rule: 'challenge', ip: '198.51.100.1' });
    expect(blockCount(s, 'challenge')).toBe(3);
  });

  it('counts an IPv6 client by its /64', async () => {
    const s = await start({ WAF_CHALLENGE: 'auto', WAF_CHALLENGE_THRESHOLD: '2' });
    expect((await request(s, '/health/x', as('2001:db8:1:2::1'))).status).toBe(404);
    expect((await request(s, '/health/x', as('2001:db8:1:2::2'))).status).toBe(404);
    expectChallenge(await request(s, '/health/x', as('2001:db8:1:2:ffff::3')));
    expect((await request(s, '/health/x', as('2001:db8:1:3::1'))).status).toBe(404);
  });

  it('never challenges the health probes', async () => {
    const s = await start({ WAF_CHALLENGE: 'always' });
    expect((await request(s, '/health', as('198.51.100.1'))).status).toBe(200);
    expect((await request(s, '/ready', as('198.51.100.1'))).status).not.toBe(429);
    expectChallenge(await request(s, '/api/v1/none', as('198.51.100.1')));
  });

  it('WAF_CHALLENGE=off never challenges', async () => {
    const s = await start({ WAF_CHALLENGE: 'off', WAF_CHALLENGE_THRESHOLD: '1' });
    for (let i = 0; i < 5; i++) expect((await request(s, '/api/v1/none', as('198.51.100.1'))).status).toBe(404);
  });
});

describe('W4 solving the challenge', () => {
  it('a solved challenge earns a pass (header and cookie) that lets the client through', async () => {
    const s = await start({ WAF_CHALLENGE: 'always', WAF_CHALLENGE_TTL: '120' });
    const c = expectChallenge(await request(s, '/api/v1/none', as('198.51.100.1')));
    const solved = await request(s, '/api/v1/none', as('198.51.100.1', { 'x-altcha': await solve(c) }));
    expect(solved.status).toBe(404); // through the WAF to the (missing) route
    const pass = solved.headers['x-waf-pass'] as string;
    expect(pass).toMatch(/^\d+\.[\w-]{16}\.[\w-]{43}$/);
    const cookie = (solved.headers['set-cookie'] ?? []).find((c) => c.startsWith('waf_pass='));
    expect(cookie).toBe(`waf_pass=${pass}; Path=/; Max-Age=120; HttpOnly; SameSite=Lax`);
    expect(events(s, 'waf_challenge_solved')).toHaveLength(1);

    expect((await request(s, '/api/v1/none', as('198.51.100.1', { 'x-waf-pass': pass }))).status).toBe(404);
    expect((await request(s, '/api/v1/none', as('198.51.100.1', { cookie: `a=b; waf_pass=${pass}` }))).status).toBe(
      404,
    );
    expectChallenge(await request(s, '/api/v1/none', as('198.51.100.1')));
  });

  it('a solution cannot be replayed, by the same client or another', async () => {
    const s = await start({ WAF_CHALLENGE: 'always' });
    const c = expectChallenge(await request(s, '/api/v1/none', as('198.51.100.1')));
    const payload = await solve(c);
    expect((await request(s, '/api/v1/none', as('198.51.100.1', { 'x-altcha': payload }))).status).toBe(404);
    expectChallenge(await request(s, '/api/v1/none', as('198.51.100.1', { 'x-altcha': payload })));
    expect(events(s, 'waf_challenge_refused').map((l) => l.reason)).toEqual(['replayed']);
  });

  it('a solution only counts for the client the challenge was issued to', async () => {
    const s = await start({ WAF_CHALLENGE: 'always' });
    const c = expectChallenge(await request(s, '/api/v1/none', as('198.51.100.1')));
    const payload = await solve(c);
    expectChallenge(await request(s, '/api/v1/none', as('198.51.100.2', { 'x-altcha': payload })));
    expect(events(s, 'waf_challenge_refused').map((l) => l.reason)).toEqual(['invalid']);
    // Still unused, so its rightful client can redeem it.
    expect((await request(s, '/api/v1/none', as('198.51.100.1', { 'x-altcha': payload }))).status).toBe(404);
  });

  it('refuses wrong numbers, tampered challenges and junk in X-Altcha', async () => {
    const s = await start({ WAF_CHALLENGE: 'always' });
    const c = expectChallenge(await request(s, '/api/v1/none', as('198.51.100.1')));
    const good = JSON.parse(Buffer.from(await solve(c), 'base64').toString());
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');
    const attempts = [
      b64({ ...good, number: (good.number + 1) % 5000 }),
      b64({ ...good, salt: good.salt.replace(/expires=\d+/, 'expires=9999999999') }),
      b64({ ...good, signature: '0'.repeat(64) }),
      b64({ ...good, algorithm: 'SHA-1' }),
      b64({ ...good, number: '12' }),
      'not base64 at all!',
      b64('a string'),
      'A'.repeat(5000),
    ];
    for (const attempt of attempts)
      expectChallenge(await request(s, '/api/v1/none', as('198.51.100.1', { 'x-altcha': attempt })));
    expect((await request(s, '/api/v1/none', as('198.51.100.1', { 'x-altcha': b64(good) }))).status).toBe(404);
  });
});

describe('W4 pass', () => {
  it('cannot be forged', async () => {
    const s = await start({ WAF_CHALLENGE: 'always' });
    const pass = await earnPass(s, '198.51.100.1');
    const [expiry, nonce, mac] = pass.split('.') as [string, string, string];
    const flip = (t: string) => (t[0] === 'A' ? 'B' : 'A') + t.slice(1);
    const forgeries = [
      `${Number(expiry) + 3600}.${nonce}.${mac}`, // a longer life
      `${expiry}.${flip(nonce)}.${mac}`,
      `${expiry}.${nonce}.${flip(mac)}`,
      `${expiry}.${nonce}`,
      `${expiry}.${nonce}.${mac}.x`,
      'garbage',
    ];
    for (const forged of forgeries) {
      expectChallenge(await request(s, '/api/v1/none', as('198.51.100.1', { 'x-waf-pass': forged })));
      expectChallenge(await request(s, '/api/v1/none', as('198.51.100.1', { cookie: `waf_pass=${forged}` })));
    }
    // Another server (another secret) does not accept it either.
    const other = await start({ WAF_CHALLENGE: 'always' });
    expectChallenge(await request(other, '/api/v1/none', as('198.51.100.1', { 'x-waf-pass': pass })));
    expect((await request(s, '/api/v1/none', as('198.51.100.1', { 'x-waf-pass': pass }))).status).toBe(404);
  });

  it('is bound to the client address it was issued to', async () => {
    const s = await start({ WAF_CHALLENGE: 'always' });
    const pass = await earnPass(s, '198.51.100.1');
    expectChallenge(await request(s, '/api/v1/none', as('198.51.100.2', { 'x-waf-pass': pass })));
    // Claiming the address in a forged X-Forwarded-For entry does not help.
    expectChallenge(await request(s, '/api/v1/none', as('198.51.100.1, 198.51.100.2', { 'x-waf-pass': pass })));
    expect(events(s, 'waf_pass_refused').length).toBe(2);
  });

  it('expires after WAF_CHALLENGE_TTL', async () => {
    const s = await start({ WAF_CHALLENGE: 'always', WAF_CHALLENGE_TTL: '1' });
    const pass = await earnPass(s, '198.51.100.1');
    expect((await request(s, '/api/v1/none', as('198.51.100.1', { 'x-waf-pass': pass }))).status).toBe(404);
    await new Promise((r) => setTimeout(r, 2100));
    expectChallenge(await request(s, '/api/v1/none', as('198.51.100.1', { 'x-waf-pass': pass })));
  });

  it('is shared by instances with the same WAF_CHALLENGE_SECRET', async () => {
    const secret = 'test-only-secret-of-at-least-32-characters';
    const a = await start({ WAF_CHALLENGE: 'always', WAF_CHALLENGE_SECRET: secret });
    const b = await start({ WAF_CHALLENGE: 'always', WAF_CHALLENGE_SECRET: secret });
    const pass = await earnPass(a, '198.51.100.1');
    expect((await request(b, '/api/v1/none', as('198.51.100.1', { 'x-waf-pass': pass }))).status).toBe(404);
  });
});

describe('W4 browser challenge page', () => {
  it('is self-contained HTML whose inline script, allowed by hash, solves the challenge', async () => {
    const s = await start({ WAF_CHALLENGE: 'always' });
    const ip = '198.51.100.1';
    const page = await request(s, '/api/v1/none', as(ip, { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }));
    expect(page.status).toBe(429);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(page.text).not.toMatch(/<script[^>]+src=|<link|https?:\/\/(?!www\.w3\.org)/); // nothing external
    const scripts = [...page.text.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0]!).digest('base64');
    expect(csp).toContain(`'sha256-${hash}'`);
    const data = /<script type="application\/json" id="altcha-challenge">([\s\S]*?)<\/script>/.exec(page.text)![1]!;

    // Run the page's script as a browser would, with fetch going to the real server.
    let reloaded!: () => void;
    const done = new Promise<void>((resolve) => {
      reloaded = resolve;
    });
    const status = { textContent: '' };
    let passCookie = '';
    const sandbox = {
      document: { getElementById: (id: string) => (id === 'altcha-challenge' ? { textContent: data } : status) },
      location: { href: `${s.url}/api/v1/none`, reload: () => reloaded() },
      btoa: (t: string) => Buffer.from(t, 'latin1').toString('base64'),
      setTimeout,
      fetch: async (url: string, init: { headers: Record<string, string> }) => {
        const res = await request(s, new URL(url).pathname, as(ip, init.headers));
        passCookie = (res.headers['set-cookie'] ?? []).find((c) => c.startsWith('waf_pass=')) ?? '';
        return { status: res.status };
      },
    };
    vm.runInNewContext(scripts[0]!, sandbox);
    await done;
    expect(status.textContent).toMatch(/Verified/);
    const cookie = passCookie.split(';')[0]!;
    expect(cookie).toMatch(/^waf_pass=/);
    expect((await request(s, '/api/v1/none', as(ip, { cookie, accept: 'text/html' }))).status).toBe(404);
  });
});

describe('W4 hard threshold', () => {
  it('sheds load with 503 and Retry-After over WAF_HARD_THRESHOLD requests per second', async () => {
    const s = await start({ WAF_CHALLENGE: 'off', WAF_HARD_THRESHOLD: '5' });
    const answers = await Promise.all(Array.from({ length: 30 }, () => request(s, '/health', as('198.51.100.1'))));
    const shed = answers.filter((r) => r.status === 503);
    expect(shed.length).toBeGreaterThan(0);
    expect(answers.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(5);
    expect(shed[0]!.headers['retry-after']).toBe('1');
    expect(shed[0]!.json().error).toMatchObject({ code: 'unavailable' });
    expect(shed[0]!.headers['x-content-type-options']).toBe('nosniff');
    expect(blockCount(s, 'hard_limit')).toBe(shed.length);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await request(s, '/health', as('198.51.100.1'))).status).toBe(200);
  });
});

// With the redis unit in the project, two instances on one Redis share the counts and the replay marks.
const withRedis = 'REDIS_URL' in settingsShape;
describe.skipIf(!withRedis)('W4 counting shared through Redis', () => {
  const redis = {
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: `waf-test-${process.pid}-${Date.now()}:`,
    WAF_CHALLENGE_SECRET: 'test-only-secret-of-at-least-32-characters',
  };

  it('counts one client across instances and refuses a solution replayed on another instance', async () => {
    const a = await start({ ...redis, WAF_CHALLENGE: 'auto', WAF_CHALLENGE_THRESHOLD: '3' });
    const b = await start({ ...redis, WAF_CHALLENGE: 'auto', WAF_CHALLENGE_THRESHOLD: '3' });
    expect((await request(a, '/api/v1/none', as('198.51.100.1'))).status).toBe(404);
    expect((await request(b, '/api/v1/none', as('198.51.100.1'))).status).toBe(404);
    expect((await request(a, '/api/v1/none', as('198.51.100.1'))).status).toBe(404);
    const c = expectChallenge(await request(b, '/api/v1/none', as('198.51.100.1')));
    const payload = await solve(c);
    expect((await request(a, '/api/v1/none', as('198.51.100.1', { 'x-altcha': payload }))).status).toBe(404);
    expectChallenge(await request(b, '/api/v1/none', as('198.51.100.1', { 'x-altcha': payload })));
    expect(events(b, 'waf_challenge_refused').map((l) => l.reason)).toEqual(['replayed']);
  });
});
