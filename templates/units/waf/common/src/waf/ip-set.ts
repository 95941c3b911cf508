/**
 * A set of IP ranges that answers "is this address inside?" in O(log n) (W1, W5).
 *
 * Ranges are sorted by start and merged (overlapping and adjacent ranges become one), so every address is in
 * at most one stored range and a binary search for the last range starting at or before the address decides.
 * IPv4 ranges are uint32 pairs; IPv6 ranges are four-word pairs compared word by word. Node's `net.BlockList`
 * scans linearly (milliseconds per lookup at 100,000 rules); this stays well under a microsecond.
 */
import { type Address, INVALID, isMapped, newAddress, parseAddress, parseIPv4, parseIPv6, V4 } from './ip.js';

/** One parsed list entry: an address or a CIDR range, as inclusive bounds. */
export type Range = { kind: 4; start: number; end: number } | { kind: 6; start: Uint32Array; end: Uint32Array };

const MAPPED_START = Uint32Array.of(0, 0, 0xffff, 0);
const MAPPED_END = Uint32Array.of(0, 0, 0xffff, 0xffffffff);

const v6words = new Uint32Array(4);

/**
 * Parse `1.2.3.4`, `10.0.0.0/8`, `2001:db8::/32`, `::ffff:10.0.0.0/104` in `text[from, to)`; null when
 * invalid. Host bits are ignored. Works on positions, not slices, because list files have 100,000 lines.
 */
export function parseRange(text: string, from = 0, to = text.length): Range | null {
  let slash = -1;
  let colon = false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 47 /* / */) {
      slash = i;
      break;
    }
    if (c === 58 /* : */) colon = true;
  }
  const addrEnd = slash < 0 ? to : slash;
  let prefix = -1;
  if (slash >= 0) {
    const digits = to - slash - 1;
    if (digits < 1 || digits > 3) return null;
    prefix = 0;
    for (let i = slash + 1; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) return null;
      prefix = prefix * 10 + (c - 48);
    }
  }
  if (!colon) {
    const n = parseIPv4(text, from, addrEnd);
    if (n < 0) return null;
    if (prefix < 0) return { kind: 4, start: n, end: n };
    if (prefix > 32) return null;
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    const start = (n & mask) >>> 0;
    return { kind: 4, start, end: (start | ~mask) >>> 0 };
  }
  if (!parseIPv6(text, v6words, from, addrEnd)) return null;
  if (prefix < 0) prefix = 128;
  if (prefix > 128) return null;
  const start = new Uint32Array(4);
  const end = new Uint32Array(4);
  for (let k = 0; k < 4; k++) {
    const bits = prefix - 32 * k; // prefix bits that fall in this word
    const mask = bits >= 32 ? 0xffffffff : bits <= 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    start[k] = (v6words[k]! & mask) >>> 0;
    end[k] = (start[k]! | ~mask) >>> 0;
  }
  return { kind: 6, start, end };
}

function cmp6(a: Uint32Array, ai: number, b: Uint32Array, bi: number): number {
  for (let k = 0; k < 4; k++) {
    const x = a[ai + k]!;
    const y = b[bi + k]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Is `b` at most one past `a` (so [.., a] and [b, ..] touch or overlap)? */
function touches6(a: Uint32Array, ai: number, b: Uint32Array, bi: number): boolean {
  if (cmp6(b, bi, a, ai) <= 0) return true;
  // a + 1, with carry; all-ones + 1 overflows, and then everything touches.
  const inc = new Uint32Array(4);
  let carry = 1;
  for (let k = 3; k >= 0; k--) {
    const sum = a[ai + k]! + carry;
    inc[k] = sum >>> 0;
    carry = sum > 0xffffffff ? 1 : 0;
  }
  if (carry) return true;
  return cmp6(b, bi, inc, 0) <= 0;
}

/** Collects ranges, then builds an immutable `IpSet`. */
export class IpSetBuilder {
  private readonly v4s: number[] = [];
  private readonly v4e: number[] = [];
  private readonly v6s: Uint32Array[] = [];
  private readonly v6e: Uint32Array[] = [];

  add(range: Range): this {
    if (range.kind === 4) {
      this.v4s.push(range.start);
      this.v4e.push(range.end);
      return this;
    }
    // The part of an IPv6 range inside ::ffff:0:0/96 also covers those IPv4 addresses, because lookups
    // normalise mapped addresses to IPv4 (so `::/0` blocks everything, `::ffff:10.0.0.0/104` blocks 10/8).
    const lo = cmp6(range.start, 0, MAPPED_START, 0) > 0 ? range.start : MAPPED_START;
    const hi = cmp6(range.end, 0, MAPPED_END, 0) < 0 ? range.end : MAPPED_END;
    if (cmp6(lo, 0, hi, 0) <= 0) {
      this.v4s.push(isMapped(lo) ? lo[3]! : 0);
      this.v4e.push(isMapped(hi) ? hi[3]! : 0xffffffff);
    }
    const inside = cmp6(range.start, 0, MAPPED_START, 0) >= 0 && cmp6(range.end, 0, MAPPED_END, 0) <= 0;
    if (!inside) {
      this.v6s.push(range.start);
      this.v6e.push(range.end);
    }
    return this;
  }

  build(): IpSet {
    // IPv4: sort by start, then merge. With fewer than 2^20 ranges, start * 2^20 + index is exact in a double,
    // so a plain numeric sort of one Float64Array (no comparator callback) orders them; that is what keeps
    // 100,000 rules well inside the startup budget.
    const n4 = this.v4s.length;
    const s4 = this.v4s;
    const e4 = this.v4e;
    const order4 = new Uint32Array(n4);
    if (n4 < 1 << 20) {
      const keys = new Float64Array(n4);
      for (let i = 0; i < n4; i++) keys[i] = s4[i]! * 1048576 + i;
      keys.sort();
      for (let i = 0; i < n4; i++) order4[i] = keys[i]! % 1048576;
    } else {
      for (let i = 0; i < n4; i++) order4[i] = i;
      order4.sort((a, b) => s4[a]! - s4[b]!);
    }
    const outS4: number[] = [];
    const outE4: number[] = [];
    for (let j = 0; j < n4; j++) {
      const i = order4[j]!;
      const start = s4[i]!;
      const end = e4[i]!;
      const last = outE4.length - 1;
      if (last >= 0 && start <= outE4[last]! + 1) {
        if (end > outE4[last]!) outE4[last] = end;
      } else {
        outS4.push(start);
        outE4.push(end);
      }
    }
    // IPv6: the same, comparing four words.
    const n6 = this.v6s.length;
    const order6 = Array.from({ length: n6 }, (_, i) => i);
    order6.sort((a, b) => cmp6(this.v6s[a]!, 0, this.v6s[b]!, 0));
    const outS6 = new Uint32Array(n6 * 4);
    const outE6 = new Uint32Array(n6 * 4);
    let m6 = 0;
    for (const i of order6) {
      const start = this.v6s[i]!;
      const end = this.v6e[i]!;
      if (m6 > 0 && touches6(outE6, (m6 - 1) * 4, start, 0)) {
        if (cmp6(end, 0, outE6, (m6 - 1) * 4) > 0) outE6.set(end, (m6 - 1) * 4);
      } else {
        outS6.set(start, m6 * 4);
        outE6.set(end, m6 * 4);
        m6++;
      }
    }
    return new IpSet(Uint32Array.from(outS4), Uint32Array.from(outE4), outS6.slice(0, m6 * 4), outE6.slice(0, m6 * 4));
  }
}

/** An immutable, merged set of ranges. Build with `IpSetBuilder` or `IpSet.from()`. */
export class IpSet {
  private readonly scratch: Address = newAddress();

  constructor(
    private readonly s4: Uint32Array,
    private readonly e4: Uint32Array,
    private readonly s6: Uint32Array,
    private readonly e6: Uint32Array,
  ) {}

  static readonly empty = new IpSet(new Uint32Array(0), new Uint32Array(0), new Uint32Array(0), new Uint32Array(0));

  static from(ranges: Iterable<Range>): IpSet {
    const builder = new IpSetBuilder();
    for (const r of ranges) builder.add(r);
    return builder.build();
  }

  /** Merged ranges stored (IPv4 + IPv6). */
  get size(): number {
    return this.s4.length + this.s6.length / 4;
  }

  hasV4(n: number): boolean {
    const s = this.s4;
    let lo = 0;
    let hi = s.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid]! <= n) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found >= 0 && this.e4[found]! >= n;
  }

  hasV6(w: Uint32Array): boolean {
    const s = this.s6;
    let lo = 0;
    let hi = s.length / 4 - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp6(s, mid * 4, w, 0) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found >= 0 && cmp6(this.e6, found * 4, w, 0) >= 0;
  }

  /** Is a parsed address inside? */
  hasAddress(a: Address): boolean {
    if (a.kind === V4) return this.hasV4(a.v4);
    if (a.kind === INVALID) return false;
    return this.hasV6(a.v6);
  }

  /** Is this address (text) inside? Unparseable text is never inside. */
  has(ip: string): boolean {
    if (parseAddress(ip, this.scratch) === INVALID) return false;
    return this.hasAddress(this.scratch);
  }
}
