/**
 * The hand-written IP parser and range matcher (W1, W5), tested hardest: edge prefixes, overlaps, adjacency,
 * IPv4-mapped IPv6, malformed input, and a randomised comparison against Node's own `net.BlockList`.
 */
import { BlockList } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  clientKey,
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
