/**
 * The hand-written IP parser and range matcher (W1, W5), tested hardest: edge prefixes, overlaps, adjacency,
 * IPv4-mapped IPv6, malformed input, a randomised comparison against Node's own `net.BlockList`, and list
 * loading (the fast paths of `parseIpList` and `IpSetBuilder`) against naive references.
 */
import { BlockList } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  clientKeyOf,
  formatIPv6,
  INVALID,
  newAddress,
  parseAddress,
  parseIPv4,
  parseIPv6,
  V4,
  V6,
} from '../../src/waf/ip.js';
import { describeProblems, parseIpList } from '../../src/waf/ip-list.js';
import { IpSet, IpSetBuilder, parseRange, type Range } from '../../src/waf/ip-set.js';

function set(...entries: string[]): IpSet {
  return IpSet.from(
    entries.map((e) => {
      const r = parseRange(e);
      if (!r) throw new Error(`bad fixture ${e}`);
      return r;
    }),
  );
}

function v6(text: string): string {
  const w = new Uint32Array(4);
  if (!parseIPv6(text, w)) throw new Error(`bad fixture ${text}`);
  return formatIPv6(w);
}

describe('W1 IP parsing', () => {
  it('parses dotted-quad IPv4 strictly', () => {
    expect(parseIPv4('0.0.0.0')).toBe(0);
    expect(parseIPv4('255.255.255.255')).toBe(0xffffffff);
    expect(parseIPv4('192.168.1.10')).toBe(0xc0a8010a);
    for (const bad of [
      '',
      '1',
      '1.2.3',
      '1.2.3.4.5',
      '256.1.1.1',
      '1.2.3.',
      '.1.2.3',
      '01.2.3.4',
      '1..2.3',
      '1.2.3.4 ',
      ' 1.2.3.4',
      '1.2.3.-4',
      '1.2.3.4/8',
      '0x1.2.3.4',
      '1234.1.1.1',
    ]) {
      expect(parseIPv4(bad), bad).toBe(-1);
    }
  });

  it('parses IPv6 forms: full, compressed, leading/trailing ::, embedded IPv4, any case', () => {
    expect(v6('::')).toBe('0:0:0:0:0:0:0:0');
    expect(v6('::1')).toBe('0:0:0:0:0:0:0:1');
    expect(v6('1::')).toBe('1:0:0:0:0:0:0:0');
    expect(v6('2001:DB8::8:800:200C:417A')).toBe('2001:db8:0:0:8:800:200c:417a');
    expect(v6('1:2:3:4:5:6:7:8')).toBe('1:2:3:4:5:6:7:8');
    expect(v6('1:2:3:4:5:6:7::')).toBe('1:2:3:4:5:6:7:0');
    expect(v6('::2:3:4:5:6:7:8')).toBe('0:2:3:4:5:6:7:8');
    expect(v6('1::8')).toBe('1:0:0:0:0:0:0:8');
    expect(v6('::ffff:1.2.3.4')).toBe('0:0:0:0:0:ffff:102:304');
    expect(v6('1:2:3:4:5:6:1.2.3.4')).toBe('1:2:3:4:5:6:102:304');
    expect(v6('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
  });

  it('refuses malformed IPv6', () => {
    const w = new Uint32Array(4);
    for (const bad of [
      '',
      ':',
      ':::',
      '1:2',
      '1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:8:9',
      '1::2::3',
      ':1::',
      '1::2:',
      '12345::',
      'g::1',
      '1:2:3:4:5:6:7:8::',
      '::1.2.3',
      '::1.2.3.4.5',
      '1:2:3:4:5:6:7:1.2.3.4',
      '::1.2.3.4:5',
      'fe80::1%eth0',
      '[::1]',
      ' ::1',
      '::1 ',
      '1:2:3:4:5:6:7:8:',
      '::01.2.3.4',
    ]) {
      expect(parseIPv6(bad, w), bad).toBe(false);
    }
  });

  it('normalises IPv4-mapped IPv6 to IPv4', () => {
    const a = newAddress();
    expect(parseAddress('::ffff:10.1.2.3', a)).toBe(V4);
    expect(a.v4).toBe(0x0a010203);
    expect(parseAddress('::FFFF:a01:203', a)).toBe(V4);
    expect(a.v4).toBe(0x0a010203);
    expect(parseAddress('::10.1.2.3', a)).toBe(V6); // IPv4-compatible (deprecated) is not mapped
    expect(parseAddress('2001:db8::1', a)).toBe(V6);
    expect(parseAddress('not an ip', a)).toBe(INVALID);
    expect(parseAddress('', a)).toBe(INVALID);
  });

  it('counts IPv6 clients per /64 and IPv4 clients per address', () => {
    const a = newAddress();
    const clientKey = (ip: string) => {
      parseAddress(ip, a);
      return clientKeyOf(a, ip);
    };
    expect(clientKey('203.0.113.9')).toBe('203.0.113.9');
    expect(clientKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:bbbb::9')).toBe('2001:db8:1:2::/64');
  });
});

describe('W1 CIDR ranges', () => {
  it('/0 matches every address of its family', () => {
    const all4 = set('0.0.0.0/0');
    for (const ip of ['0.0.0.0', '1.2.3.4', '255.255.255.255', '::ffff:8.8.8.8']) expect(all4.has(ip), ip).toBe(true);
    expect(all4.has('2001:db8::1')).toBe(false);
    const all6 = set('::/0');
    for (const ip of ['::', '::1', '2001:db8::1', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'])
      expect(all6.has(ip), ip).toBe(true);
    // ::/0 includes ::ffff:0:0/96, so it covers IPv4 too (lookups normalise mapped addresses).
    expect(all6.has('9.9.9.9')).toBe(true);
  });

  it('/32 and /128 match exactly one address', () => {
    const s = set('198.51.100.7/32', '2001:db8::7/128');
    expect(s.has('198.51.100.7')).toBe(true);
    expect(s.has('198.51.100.6')).toBe(false);
    expect(s.has('198.51.100.8')).toBe(false);
    expect(s.has('2001:db8::7')).toBe(true);
    expect(s.has('2001:db8::6')).toBe(false);
    expect(s.has('2001:db8::8')).toBe(false);
  });

  it('a bare address is a /32 or /128', () => {
    const s = set('198.51.100.7', '2001:db8::7');
    expect(s.size).toBe(2);
    expect(s.has('198.51.100.7')).toBe(true);
    expect(s.has('2001:db8::7')).toBe(true);
    expect(s.has('2001:db8::7:0')).toBe(false);
  });

  it('masks host bits and matches range edges', () => {
    const s = set('10.1.2.3/8', '2001:db8:1234::5/33');
    expect(s.has('10.0.0.0')).toBe(true);
    expect(s.has('10.255.255.255')).toBe(true);
    expect(s.has('9.255.255.255')).toBe(false);
    expect(s.has('11.0.0.0')).toBe(false);
    expect(s.has('2001:db8::')).toBe(true);
    expect(s.has('2001:db8:7fff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(s.has('2001:db8:8000::')).toBe(false);
    expect(s.has('2001:db7:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(false);
  });

  it('handles prefixes that cut a 32-bit word (v6 /31, /63, /65, /97)', () => {
    expect(set('2001:db8::/31').has('2001:db9:ffff::1')).toBe(true);
    expect(set('2001:db8::/31').has('2001:dba::')).toBe(false);
    expect(set('2001:db8:0:2::/63').has('2001:db8:0:3:ffff::')).toBe(true);
    expect(set('2001:db8:0:2::/63').has('2001:db8:0:4::')).toBe(false);
    expect(set('2001:db8::8000:0:0:0/65').has('2001:db8::ffff:1:2:3')).toBe(true);
    expect(set('2001:db8::8000:0:0:0/65').has('2001:db8::7fff:1:2:3')).toBe(false);
    expect(set('2001:db8::1:0:0/97').has('2001:db8::1:7fff:ffff')).toBe(true);
    expect(set('2001:db8::1:0:0/97').has('2001:db8::1:8000:0')).toBe(false);
  });

  it('merges overlapping, nested and adjacent ranges', () => {
    const s = set('10.0.0.0/24', '10.0.1.0/24', '10.0.0.128/25', '10.0.2.0/23', '10.0.0.5');
    expect(s.size).toBe(1); // 10.0.0.0 – 10.0.3.255
    expect(s.has('10.0.3.255')).toBe(true);
    expect(s.has('10.0.4.0')).toBe(false);
    const t = set('2001:db8::/64', '2001:db8:0:1::/64', '2001:db8::/48', '2001:db8:1::/48');
    expect(t.size).toBe(1);
    expect(t.has('2001:db8:1:ffff::1')).toBe(true);
    expect(t.has('2001:db8:2::')).toBe(false);
    // Touching across a word boundary: ...:ffff:ffff + 1 carries into the next word.
    const u = set('2001:db8::/96', '2001:db8::1:0:0/96');
    expect(u.size).toBe(1);
    // Not touching: a gap of one address stays a gap.
    const gap = set('10.0.0.0/31', '10.0.0.3');
    expect(gap.size).toBe(2);
    expect(gap.has('10.0.0.2')).toBe(false);
  });

  it('merges at the top of the address space without overflowing', () => {
    const s = set(
      '255.255.255.0/24',
      '255.255.255.255',
      'ffff:ffff:ffff:ffff::/64',
      'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    );
    expect(s.has('255.255.255.255')).toBe(true);
    expect(s.has('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(s.size).toBe(2);
  });

  it('applies IPv4-mapped IPv6 rules to IPv4 clients and IPv4 rules to mapped clients', () => {
    const mapped = set('::ffff:10.0.0.0/104');
    expect(mapped.has('10.20.30.40')).toBe(true);
    expect(mapped.has('::ffff:10.20.30.40')).toBe(true);
    expect(mapped.has('11.0.0.0')).toBe(false);
    const plain = set('192.0.2.0/24');
    expect(plain.has('::ffff:192.0.2.99')).toBe(true);
    expect(plain.has('::ffff:c000:263')).toBe(true);
    // A range straddling the mapped block's start still covers its first IPv4 addresses.
    const straddle = set('::fffe:ffff:ffff/95');
    expect(straddle.has('0.0.0.1')).toBe(true);
  });

  it('refuses bad ranges', () => {
    for (const bad of [
      '10.0.0.0/33',
      '10.0.0.0/',
      '10.0.0.0/-1',
      '10.0.0.0/8/8',
      '::/129',
      '::/1a',
      '10.0.0.0/+8',
      '/8',
      'example.com',
      '10.0.0.0/0008',
      '1.2.3.4 5',
    ]) {
      expect(parseRange(bad), bad).toBeNull();
    }
  });

  it('is empty when built from nothing', () => {
    expect(IpSet.empty.has('1.2.3.4')).toBe(false);
    expect(IpSet.empty.has('::1')).toBe(false);
    expect(new IpSetBuilder().build().size).toBe(0);
  });
});

describe('W1 IP list files', () => {
  it('reads entries, comments and blank lines, and reports bad lines by number', () => {
    const text = '# blocklist\n10.0.0.0/8\n\n  192.0.2.1  # scanner\r\nnot-an-ip\n2001:db8::/32\n300.1.1.1/8\n';
    const parsed = parseIpList(text);
    expect(parsed.ranges).toHaveLength(3);
    expect(parsed.entries).toBe(5);
    expect(parsed.problems).toEqual([
      { line: 5, text: 'not-an-ip' },
      { line: 7, text: '300.1.1.1/8' },
    ]);
    expect(describeProblems(parsed.problems)).toContain('line 5: "not-an-ip"');
  });

  it('shortens the report of a file full of garbage', () => {
    const parsed = parseIpList(Array.from({ length: 50 }, (_, i) => `bad${i}`).join('\n'));
    expect(parsed.problems).toHaveLength(50);
    expect(describeProblems(parsed.problems, 3)).toMatch(/line 3: "bad2".*and 47 more$/);
  });
});

// A reference model: Node's BlockList (linear, but correct) on random ranges and random probes.
function randomV4(rand: () => number): string {
  return `${(rand() * 256) | 0}.${(rand() * 256) | 0}.${(rand() * 256) | 0}.${(rand() * 256) | 0}`;
}
function randomV6(rand: () => number): string {
  // Few distinct high words so that probes often land near ranges.
  const parts = [0x2001, 0xdb8, (rand() * 4) | 0, (rand() * 4) | 0];
  for (let i = 0; i < 4; i++) parts.push((rand() * 0x10000) | 0);
  return parts.map((p) => p.toString(16)).join(':');
}
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

describe('W1 matcher agrees with net.BlockList', () => {
  it('on 2,000 random IPv4 and IPv6 ranges and 20,000 probes', () => {
    const rand = seeded(42);
    const ref = new BlockList();
    const builder = new IpSetBuilder();
    for (let i = 0; i < 1000; i++) {
      const prefix = 8 + ((rand() * 25) | 0);
      const addr = randomV4(rand);
      ref.addSubnet(addr, prefix, 'ipv4');
      builder.add(parseRange(`${addr}/${prefix}`) as Range);
      const p6 = 32 + ((rand() * 97) | 0);
      const a6 = randomV6(rand);
      ref.addSubnet(a6, p6, 'ipv6');
      builder.add(parseRange(`${a6}/${p6}`) as Range);
    }
    const s = builder.build();
    let hits = 0;
    let hits6 = 0;
    for (let i = 0; i < 10_000; i++) {
      const a = randomV4(rand);
      const b = randomV6(rand);
      const expected4 = ref.check(a, 'ipv4');
      const expected6 = ref.check(b, 'ipv6');
      if (expected4) hits++;
      if (expected6) hits6++;
      expect(s.has(a), a).toBe(expected4);
      expect(s.has(b), b).toBe(expected6);
    }
    // The probes did exercise matches in both families.
    expect(hits).toBeGreaterThan(100);
    expect(hits6).toBeGreaterThan(100);
  });
});

// Naive references for loading: the set is the union of the ranges, IPv6 ranges inside ::ffff:0:0/96 also
// count for the IPv4 addresses they map, and merging joins overlapping and adjacent ranges. BigInt, no tricks.
const MAPPED_LO = 0xffffn << 32n;
const MAPPED_HI = MAPPED_LO | 0xffffffffn;

function bigOf(words: ArrayLike<number>): bigint {
  let x = 0n;
  for (let k = 0; k < 4; k++) x = (x << 32n) | BigInt(words[k]!);
  return x;
}
function v6Text(x: bigint): string {
  const groups: string[] = [];
  for (let k = 7; k >= 0; k--) groups.push(((x >> BigInt(16 * k)) & 0xffffn).toString(16));
  return groups.join(':');
}
function v4Text(x: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((x >> s) & 255n)).join('.');
}
function mergeNaive(ranges: [bigint, bigint][]): [bigint, bigint][] {
  const sorted = [...ranges].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1] + 1n) {
      if (e > last[1]) last[1] = e;
    } else {
      out.push([s, e]);
    }
  }
  return out;
}
function naiveSet(ranges: readonly Range[]) {
  const v4: [bigint, bigint][] = [];
  const v6: [bigint, bigint][] = [];
  for (const r of ranges) {
    if (r.kind === 4) {
      v4.push([BigInt(r.start), BigInt(r.end)]);
      continue;
    }
    const s = bigOf(r.start);
    const e = bigOf(r.end);
    const lo = s > MAPPED_LO ? s : MAPPED_LO;
    const hi = e < MAPPED_HI ? e : MAPPED_HI;
    if (lo <= hi) v4.push([lo - MAPPED_LO, hi - MAPPED_LO]);
    if (s < MAPPED_LO || e > MAPPED_HI) v6.push([s, e]);
  }
  const m4 = mergeNaive(v4);
  const m6 = mergeNaive(v6);
  // The last merged range starting at or before x decides (a binary search, or the large test takes minutes).
  const inside = (list: [bigint, bigint][], x: bigint) => {
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]![0] <= x) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi >= 0 && x <= list[hi]![1];
  };
  return {
    size: m4.length + m6.length,
    m4,
    m6,
    has4: (x: bigint) => inside(m4, x),
    // What a lookup of this IPv6 address should say: mapped addresses are looked up as IPv4.
    has6: (x: bigint) => (x >= MAPPED_LO && x <= MAPPED_HI ? inside(m4, x - MAPPED_LO) : inside(m6, x)),
  };
}
/** The set agrees with the reference: same number of merged ranges, same answer on and around every edge. */
function expectSameSet(actual: IpSet, ranges: readonly Range[], rand: () => number): void {
  const ref = naiveSet(ranges);
  expect(actual.size).toBe(ref.size);
  const probes4: bigint[] = [];
  const probes6: bigint[] = [];
  for (const [s, e] of ref.m4) probes4.push(s - 1n, s, e, e + 1n);
  for (const [s, e] of ref.m6) probes6.push(s - 1n, s, e, e + 1n);
  for (let i = 0; i < 2000; i++) {
    probes4.push(BigInt((rand() * 0x100000000) >>> 0));
    probes6.push(bigOf([0, 0, 0xffff, (rand() * 0x100000000) >>> 0]));
  }
  const wrong: string[] = []; // one expect at the end: tens of thousands of expect() calls are slow
  for (const x of probes4) {
    if (x < 0n || x > 0xffffffffn) continue;
    if (actual.has(v4Text(x)) !== ref.has4(x)) wrong.push(v4Text(x));
    if (actual.has(`::ffff:${v4Text(x)}`) !== ref.has4(x)) wrong.push(`::ffff:${v4Text(x)}`);
  }
  for (const x of probes6) {
    if (x < 0n || x >> 128n !== 0n) continue;
    if (actual.has(v6Text(x)) !== ref.has6(x)) wrong.push(v6Text(x));
  }
  expect(wrong.slice(0, 10)).toEqual([]);
}

describe('W1 loading agrees with naive references', () => {
  // Ranges crowded into a few small blocks, so that overlaps, nesting and adjacency are common; IPv6 near and
  // across the mapped block's edges; the top and bottom of both address spaces. Each round draws from a few of
  // these shapes only, so that wide ranges do not swallow everything else.
  const shapes: ((n: (max: number) => number, pick: <T>(xs: readonly T[]) => T) => string)[] = [
    (n, pick) => `10.0.${n(16)}.${n(256)}/${pick([20, 22, 24, 25, 26, 28, 30, 31, 32])}`,
    (n) => `172.16.${n(48)}.0/24`, // aligned blocks: adjacent ones merge, a missing one leaves a gap
    (n, pick) => `${pick(['0', '127', '128', '255'])}.${pick([0, 255])}.${n(256)}.${n(256)}/${pick([8, 16, 24, 32])}`,
    (n, pick) => `::ffff:198.18.${n(16)}.${n(256)}/${pick([124, 126, 127, 128])}`,
    (n) => `::ffff:172.16.${n(48)}.0/120`,
    // Just below and just above the mapped block, blocks that hold it and more, and the widest ranges.
    (n, pick) =>
      `${pick(['::fffe:ffff:ff', '::1:0:0:'])}${n(256).toString(16).padStart(2, '0')}/${pick([120, 124, 127, 128])}`,
    (_, pick) => `${pick(['::fffe:0:0', '::fffc:0:0'])}/${pick([94, 95])}`,
    (_, pick) => `::/${pick([0, 64, 80, 96, 97])}`,
    (n, pick) => `2001:db8::${n(4).toString(16)}:${n(0x10000).toString(16)}:0/${pick([96, 100, 108, 112, 127, 128])}`,
    (n) => `2001:db8:0:${n(48).toString(16)}::/64`,
    (_, pick) =>
      `${pick(['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00', '8000::', '::1', '1::'])}/${pick([1, 64, 120, 128])}`,
  ];

  it('merges random ranges like a naive BigInt merge, whether added one by one or as a parsed list', () => {
    const rand = seeded(7);
    const n = (max: number) => (rand() * max) | 0;
    const pick = <T>(xs: readonly T[]): T => xs[n(xs.length)]!;
    for (let round = 0; round < 40; round++) {
      const some = shapes.filter(() => rand() < 0.3);
      if (some.length === 0) some.push(pick(shapes));
      const entries = Array.from({ length: 5 + n(200) }, () => pick(some)(n, pick));
      const ranges = entries.map((e) => {
        const r = parseRange(e);
        if (!r) throw new Error(`bad fixture ${e}`);
        return r;
      });
      const half = entries.length >> 1;
      const builder = new IpSetBuilder();
      for (const r of ranges.slice(0, half)) builder.add(r);
      builder.addList(parseIpList(entries.slice(half).join('\n')).ranges);
      expectSameSet(builder.build(), ranges, rand);
      expectSameSet(IpSet.from(ranges), ranges, rand);
      expectSameSet(IpSet.from([...parseIpList(entries.join('\n')).ranges]), ranges, rand);
    }
  });

  it('merges a large list (the fast path of a 100,000-line file) like the naive merge', () => {
    const rand = seeded(11);
    const entries = Array.from({ length: 20_000 }, () =>
      rand() < 0.9
        ? `${(rand() * 256) | 0}.${(rand() * 256) | 0}.${(rand() * 256) | 0}.${(rand() * 256) | 0}/${12 + ((rand() * 21) | 0)}`
        : `2${((rand() * 0xfff) | 0).toString(16)}:${((rand() * 0x10000) | 0).toString(16)}::/${16 + ((rand() * 113) | 0)}`,
    );
    const parsed = parseIpList(entries.join('\n'));
    expect(parsed.problems).toEqual([]);
    expect(parsed.ranges).toHaveLength(entries.length);
    // Looping over the parsed list (as older callers do) gives the same set as adding it in bulk.
    expectSameSet(
      IpSet.from([...parsed.ranges]),
      entries.map((e) => parseRange(e) as Range),
      rand,
    );
    expectSameSet(
      new IpSetBuilder().addList(parsed.ranges).build(),
      entries.map((e) => parseRange(e) as Range),
      rand,
    );
  });

  // Reading a list the slow, obvious way: split lines, cut the comment, trim, parseRange.
  function naiveList(text: string) {
    const isSpace = (c: string) => ' \t\r\v\f\ufeff'.includes(c);
    const ranges: Range[] = [];
    const problems: { line: number; text: string }[] = [];
    let entries = 0;
    text.split('\n').forEach((raw, i) => {
      let s = raw.includes('#') ? raw.slice(0, raw.indexOf('#')) : raw;
      while (s.length > 0 && isSpace(s[0]!)) s = s.slice(1);
      while (s.length > 0 && isSpace(s[s.length - 1]!)) s = s.slice(0, -1);
      if (s === '') return;
      entries++;
      const r = parseRange(s);
      if (r) ranges.push(r);
      else problems.push({ line: i + 1, text: s.length > 60 ? `${s.slice(0, 57)}...` : s });
    });
    return { ranges, problems, entries };
  }

  it('reads random lines, good and bad, exactly like the naive reading', () => {
    const rand = seeded(3);
    const pick = <T>(xs: readonly T[]): T => xs[(rand() * xs.length) | 0]!;
    const octet = () => pick(['0', '1', '9', '10', '99', '100', '255', '256', '999', '01', '00', '1000', '']);
    // IPv6 of any shape, valid or not: 1 to 9 groups of 1 to 5 hex digits, a `::` anywhere (or two).
    const v6 = () => {
      const groups = Array.from({ length: 1 + ((rand() * 9) | 0) }, () =>
        ((rand() * 0x100000) | 0).toString(16).slice(0, 1 + ((rand() * (rand() < 0.95 ? 4 : 5)) | 0)),
      );
      for (let gaps = rand() < 0.6 ? 1 : rand() < 0.1 ? 2 : 0; gaps > 0; gaps--) {
        groups.splice((rand() * (groups.length + 1)) | 0, 0, '');
      }
      const text = groups.join(':');
      return rand() < 0.5 ? text.toUpperCase() : text;
    };
    const address = () =>
      rand() < 0.15
        ? v6()
        : rand() < 0.7
          ? `${(rand() * 256) | 0}.${(rand() * 256) | 0}.${(rand() * 256) | 0}.${(rand() * 256) | 0}`
          : pick([
              `${octet()}.${octet()}.${octet()}.${octet()}`,
              `${octet()}.${octet()}.${octet()}`,
              `${octet()}.${octet()}.${octet()}.${octet()}.${octet()}`,
              '1.2.3.4.',
              '.1.2.3.4',
              '1..2.3',
              '2001:db8::1',
              '::ffff:1.2.3.4',
              '::',
              '1:2:3:4:5:6:7:8',
              'fe80::1%eth0',
              '2001:db8::g',
              'example.com',
              '1.2.3.4:80',
              '１.2.3.4',
              '',
            ]);
    const prefix = () =>
      pick([
        '',
        '',
        '',
        '/0',
        '/8',
        '/08',
        '/008',
        '/0008',
        '/24',
        '/32',
        '/33',
        '/64',
        '/128',
        '/129',
        '/',
        '/x',
        '/8/8',
        '/-1',
        '/+8',
      ]);
    const space = () => pick(['', '', '', ' ', '\t', '  ', '\r', '\v', '\f', '\ufeff', '\u00a0']);
    const comment = () => pick(['', '', '', '# scanner', ' # x # y', '#', '#1.2.3.4']);
    const lines = Array.from({ length: 5000 }, () => {
      if (rand() < 0.05) return `${space()}${comment()}`;
      if (rand() < 0.03) return `${address()}${space()}${pick(['5', 'x', '1.2.3.4'])}`; // junk after a space
      return `${space()}${address()}${prefix()}${space()}${comment()}${space()}`;
    });
    for (const eol of ['\n', '\r\n']) {
      for (const tail of ['', eol]) {
        const text = lines.join(eol) + tail;
        const parsed = parseIpList(text);
        const ref = naiveList(text);
        expect(parsed.problems).toEqual(ref.problems);
        expect(parsed.entries).toBe(ref.entries);
        expect(parsed.ranges).toHaveLength(ref.ranges.length);
        expectSameSet(new IpSetBuilder().addList(parsed.ranges).build(), ref.ranges, rand);
      }
    }
  });
});
