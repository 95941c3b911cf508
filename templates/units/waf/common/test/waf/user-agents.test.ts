/**
 * W2: user-agent blocking. The pattern parser and the regex safety check as units; the rule over real HTTP.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { unsafeRegexReason } from '../../src/waf/safe-regex.js';
import { REGEX_INPUT_LIMIT, splitUaPatterns, UaMatcher } from '../../src/waf/user-agents.js';
import { request, startServer, type TestServer } from '../helpers/server.js';
import { blockCount, events } from './waf-helpers.js';

const ATTACK_TOOLS = [
  'sqlmap/1.7.2#stable (https://sqlmap.org)',
  'Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000003)',
  'Nuclei - Open-source project (github.com/projectdiscovery/nuclei)',
  'masscan/1.3 (https://github.com/robertdavidgraham/masscan)',
  'Mozilla/5.0 zgrab/0.x',
  'Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)',
  'DirBuster-1.0-RC1 (http://www.owasp.org/index.php/Category:OWASP_DirBuster_Project)',
  'gobuster/3.6',
  'WPScan v3.8.25 (https://wpscan.com/wordpress-security-scanner)',
  'Fuzz Faster U Fool v2.1.0-dev',
  'Mozilla/5.0 (compatible; MJ12bot/v1.4.8; http://mj12bot.com/)',
];

const LEGITIMATE = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0',
  'curl/8.8.0',
  'python-requests/2.32.3',
  'python-httpx/0.27.0',
  'Go-http-client/2.0',
  'okhttp/4.12.0',
  'axios/1.7.2',
  'PostmanRuntime/7.39.0',
  'node',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Roadmap-Sync/1.0', // contains "nmap"-like letters but no tool name
];

describe('W2 user-agent matcher', () => {
  const builtin = new UaMatcher([], { builtin: true, blockEmpty: false });

  it('matches the built-in attack tools, case-insensitively', () => {
    for (const ua of ATTACK_TOOLS) {
      expect(builtin.match(ua), ua).toBe('user_agent');
      expect(builtin.match(ua.toUpperCase()), ua).toBe('user_agent');
    }
  });

  it('leaves browsers, HTTP libraries and search engines alone', () => {
    for (const ua of LEGITIMATE) expect(builtin.match(ua), ua).toBeNull();
  });

  it('blocks an empty or missing agent only when asked', () => {
    expect(builtin.match(undefined)).toBeNull();
    expect(builtin.match('   ')).toBeNull();
    const strict = new UaMatcher([], { builtin: true, blockEmpty: true });
    expect(strict.match(undefined)).toBe('empty_user_agent');
    expect(strict.match('')).toBe('empty_user_agent');
    expect(strict.match('curl/8.8.0')).toBeNull();
  });

  it('parses substrings and /regex/ entries, commas inside a regex included', () => {
    const { patterns, problems } = splitUaPatterns(' BadBot , /^evil-[0-9]{1,3}\\/x$/i, /a,b/ ,scraper');
    expect(problems).toEqual([]);
    expect(patterns).toEqual([
      { kind: 'substring', value: 'badbot' },
      { kind: 'regex', source: '^evil-[0-9]{1,3}\\/x$', flags: 'i' },
      { kind: 'regex', source: 'a,b', flags: '' },
      { kind: 'substring', value: 'scraper' },
    ]);
    const m = new UaMatcher(patterns, { builtin: false, blockEmpty: false });
    expect(m.match('x BADBOT y')).toBe('user_agent');
    expect(m.match('EVIL-12/x')).toBe('user_agent');
    expect(m.match('evil-1234/x')).toBeNull();
    expect(m.match('sqlmap/1.7')).toBeNull(); // built-ins off
  });

  it('refuses unsafe or broken regexes with the entry number', () => {
    for (const bad of [
      '/(a+)+$/',
      '/(\\w+\\s?)*x/',
      '/(a|ab)*c/',
      '/(x)\\1/',
      '/(?<=a)b/',
      '/.*a.*b.*c/',
      '/[abc/',
      '/abc/g',
      '/abc',
      '/(a{2,})+/',
    ]) {
      const { problems } = splitUaPatterns(`ok, ${bad}`);
      expect(problems.length, bad).toBe(1);
      expect(problems[0], bad).toMatch(/^entry 2: /);
    }
  });

  it('accepts ordinary patterns', () => {
    for (const good of [
      '^Mozilla/4\\.0$',
      'bot-\\d+',
      '(?:foo|bar)-scan',
      '(ab)+c',
      'a{1,3}b',
      '[a-z]+/[0-9.]+',
      '(?<tool>scan)ner?',
    ]) {
      expect(unsafeRegexReason(good), good).toBeNull();
    }
  });

  it('runs custom regexes on the first 512 characters only, so a hostile header costs bounded work', () => {
    // The time bound itself lives in bench/waf (decision time); here the behaviour that bounds it.
    const { patterns } = splitUaPatterns('/needle\\d/');
    const m = new UaMatcher(patterns, { builtin: false, blockEmpty: false });
    expect(m.match(`${'a'.repeat(REGEX_INPUT_LIMIT - 7)}needle1`)).toBe('user_agent');
    expect(m.match(`${'a'.repeat(REGEX_INPUT_LIMIT)}needle1`)).toBeNull();
    expect(m.match(`${'a'.repeat(16_000)}needle1`)).toBeNull();
  });
});

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('W2 user-agent blocking', () => {
  it('sqlmap/1.7 gets 403 with the generic body; a browser does not', async () => {
    server = await startServer({ WAF_CHALLENGE: 'off' });
    const res = await request(server, '/api/v1/items', { headers: { 'user-agent': 'sqlmap/1.7' } });
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({ error: { code: 'forbidden', message: 'Forbidden', requestId: expect.any(String) } });
    expect(events(server, 'waf_block')[0]).toMatchObject({ rule: 'user_agent' });
    expect(blockCount(server, 'user_agent')).toBe(1);
    expect((await request(server, '/health', { headers: { 'user-agent': LEGITIMATE[0]! } })).status).toBe(200);
  });

  it('applies WAF_BLOCK_USER_AGENTS and WAF_BLOCK_EMPTY_UA', async () => {
    server = await startServer({
      WAF_CHALLENGE: 'off',
      WAF_BLOCK_USER_AGENTS: 'evilcrawler,/^python-requests\\/2\\.[0-9]+/',
      WAF_BLOCK_EMPTY_UA: 'true',
    });
    expect((await request(server, '/health', { headers: { 'user-agent': 'Mozilla/5.0 EvilCrawler/2' } })).status).toBe(
      403,
    );
    expect((await request(server, '/health', { headers: { 'user-agent': 'python-requests/2.32.3' } })).status).toBe(
      403,
    );
    expect((await request(server, '/health', { headers: { 'user-agent': 'python-requests/3.0' } })).status).toBe(200);
    expect((await request(server, '/health')).status).toBe(403); // node:http sends no User-Agent by default
    expect(events(server, 'waf_block').map((l) => l.rule)).toContain('empty_user_agent');
  });

  it('refuses to boot with an unsafe regex, naming the variable', async () => {
    await expect(startServer({ WAF_BLOCK_USER_AGENTS: '/(a+)+$/' })).rejects.toThrow(
      /WAF_BLOCK_USER_AGENTS: entry 1: regex repeats a group/,
    );
  });
});
