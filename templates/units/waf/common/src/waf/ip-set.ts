/**
 * A set of IP ranges that answers "is this address inside?" in O(log n) (W1, W5).
 *
 * Ranges are sorted by start and merged (overlapping and adjacent ranges become one), so every address is in
 * at most one stored range and a binary search for the last range starting at or before the address decides.
 * IPv4 ranges are uint32 pairs; IPv6 ranges are four-word pairs compared word by word. Node's `net.BlockList`
 * scans linearly (milliseconds per lookup at 100,000 rules); this stays well under a microsecond.
 *
 * Loading is built for 100,000-line lists read at startup, while the code is still cold (mostly interpreted):
 * entries go straight into flat, growable typed arrays (`RangeList`), never one object per entry, and sorting is
 * the engine's native sort of a 64-bit integer array rather than a sort with a comparator callback.
 */
import { type Address, INVALID, newAddress, parseAddress, parseIPv4, parseIPv6, V4 } from './ip.js';

/** One parsed list entry: an address or a CIDR range, as inclusive bounds. */
export type Range = { kind: 4; start: number; end: number } | { kind: 6; start: Uint32Array; end: Uint32Array };

/** `::ffff:0:0/96`, the IPv4-mapped block, as inclusive bounds. */
const MAPPED_START = Uint32Array.of(0, 0, 0xffff, 0);
const MAPPED_END = Uint32Array.of(0, 0, 0xffff, 0xffffffff);

const v6words = new Uint32Array(4);
/** Where `parseEntry` leaves its result: words 0-3 the start, 4-7 the end (IPv4 uses words 0 and 4). */
const parsed = new Uint32Array(8);

/** The prefix length written in `text[from, to)`: one to three digits, else -1. */
function parsePrefix(text: string, from: number, to: number): number {
  if (to - from < 1 || to - from > 3) return -1;
  let prefix = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    prefix = prefix * 10 + (c - 48);
  }
  return prefix;
}

/**
 * Parse an IPv6 entry into `parsed`: the address in `text[from, slash)`, then, when `slash < to`, a prefix
 * after the slash. False when invalid.
 */
function parseV6Entry(text: string, from: number, slash: number, to: number): boolean {
  const prefix = slash < to ? parsePrefix(text, slash + 1, to) : 128;
  if (prefix < 0 || prefix > 128 || !parseIPv6(text, v6words, from, slash)) return false;
  for (let k = 0; k < 4; k++) {
    const bits = prefix - 32 * k; // prefix bits that fall in this word
    const mask = bits >= 32 ? -1 : bits <= 0 ? 0 : -1 << (32 - bits);
    parsed[k] = v6words[k]! & mask;
    parsed[4 + k] = v6words[k]! | ~mask;
  }
  return true;
}

/**
 * Parse `1.2.3.4`, `10.0.0.0/8`, `2001:db8::/32`, `::ffff:10.0.0.0/104` in `text[from, to)` into `parsed`;
 * returns the family (4 or 6), or 0 when invalid. Host bits are ignored. Works on positions, not slices, and
 * allocates nothing, because list files have 100,000 lines.
 */
function parseEntry(text: string, from: number, to: number): 0 | 4 | 6 {
  let slash = to;
  let colon = false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 47 /* / */) {
      slash = i;
      break;
    }
    if (c === 58 /* : */) colon = true;
  }
  if (colon) return parseV6Entry(text, from, slash, to) ? 6 : 0;
  const prefix = slash < to ? parsePrefix(text, slash + 1, to) : 32;
  const n = parseIPv4(text, from, slash);
  if (prefix < 0 || prefix > 32 || n < 0) return 0;
  const mask = prefix === 0 ? 0 : -1 << (32 - prefix);
  parsed[0] = n & mask;
  parsed[4] = n | ~mask;
  return 4;
}

/**
 * Parse `1.2.3.4`, `10.0.0.0/8`, `2001:db8::/32`, `::ffff:10.0.0.0/104` in `text[from, to)`; null when
 * invalid. Host bits are ignored. For single entries; lists go through `RangeList.addText` (no objects).
 */
export function parseRange(text: string, from = 0, to = text.length): Range | null {
  const kind = parseEntry(text, from, to);
  if (kind === 4) return { kind: 4, start: parsed[0]!, end: parsed[4]! };
  if (kind === 6) return { kind: 6, start: parsed.slice(0, 4), end: parsed.slice(4, 8) };
  return null;
}

function cmp6(a: Uint32Array, ai: number, b: Uint32Array, bi: number): number {
  for (let k = 0; k < 4; k++) {
    const x = a[ai + k]!;
    const y = b[bi + k]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** `a`, or a copy with room for at least `need` elements: doubling keeps appends amortised O(1). */
function withRoom<T extends Int32Array | Uint32Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const grown = new (a.constructor as new (length: number) => T)(Math.max(need, a.length * 2));
  grown.set(a);
  return grown;
}

/**
 * Sorting without a comparator callback (a callback per comparison is what made 100,000 rules slow to load):
 * two 32-bit words read as one 64-bit integer sort by the high word, then the low word, with the engine's
 * native BigInt64Array or BigUint64Array sort. The high word is the second of the two on a little-endian
 * machine.
 */
const HI = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

/**
 * IPv4 bounds are kept biased while loading: the address minus 2^31 (`address ^ BIAS`), an int32. Biased values
 * sort like the addresses (signed), and stay small integers to the engine: addresses above 2^31 are doubles to
 * it, so a loop over sorted addresses, compiled for the small integers it met first, would be thrown back to
 * the interpreter when the large ones arrive. Written out through an Int32Array view, `biased ^ BIAS` leaves
 * the address's bits in the IpSet's Uint32Array.
 */
const BIAS = -0x80000000;

/**
 * Ranges in flat typed arrays, ready for `IpSetBuilder`: what `parseIpList` fills, so that a 100,000-line
 * list costs a few typed arrays rather than 100,000 objects. The arrays are over-allocated (they double when
 * full). IPv6 entries are stored split the way the set needs them (see `addV6`), so `length` counts entries.
 * The fields are read by `IpSetBuilder`; change them only through the methods.
 */
export class RangeList {
  /** IPv4 ranges, biased (see BIAS): the start in the HI word of a pair, the end in the LO word; `count4` used. */
  v4: Int32Array = new Int32Array(128);
  count4 = 0;
  /** IPv6 ranges' inclusive bounds, four words each (most significant first), `count6` used. */
  starts6: Uint32Array = new Uint32Array(64);
  ends6: Uint32Array = new Uint32Array(64);
  count6 = 0;
  private entries = 0;

  /** Entries added. */
  get length(): number {
    return this.entries;
  }

  add(range: Range): this {
    if (range.kind === 4) this.addV4(range.start, range.end);
    else this.addV6(range.start, 0, range.end, 0);
    return this;
  }

  /** Parse `text[from, to)` as one entry (see `parseRange`) and add it; false, adding nothing, if invalid. */
  addText(text: string, from = 0, to = text.length): boolean {
    const kind = parseEntry(text, from, to);
    if (kind === 4) this.addV4(parsed[0]!, parsed[4]!);
    else if (kind === 6) this.addV6(parsed, 0, parsed, 4);
    return kind !== 0;
  }

  /**
   * The same for an entry known to be IPv6 (a colon before any slash), with its slash (`to` when none)
   * already found: `parseIpList` has just scanned the entry, so this saves scanning it again.
   */
  addV6Text(text: string, from: number, slash: number, to: number): boolean {
    if (!parseV6Entry(text, from, slash, to)) return false;
    this.addV6(parsed, 0, parsed, 4);
    return true;
  }

  /** An IPv4 range: uint32 bounds (or their int32 bit patterns, `x | 0`, which is what the parser has). */
  addV4(start: number, end: number): void {
    this.entries++;
    this.pushV4(start, end);
  }

  /**
   * The IPv6 range with bounds at `start[si]` and `end[ei]` (four words each). The part of it inside
   * ::ffff:0:0/96 also covers those IPv4 addresses, because lookups normalise mapped addresses to IPv4 (so
   * `::/0` blocks everything, `::ffff:10.0.0.0/104` blocks 10/8): that part is stored as an IPv4 range, and
   * the rest, if any, as an IPv6 range.
   */
  addV6(start: Uint32Array, si: number, end: Uint32Array, ei: number): void {
    this.entries++;
    // Almost every range starts above the mapped block (a nonzero first word), which settles it.
    if (start[si] === 0 && start[si + 1] === 0 && start[si + 2]! <= 0xffff) {
      // The part inside is [max(start, MAPPED_START), min(end, MAPPED_END)]; when it is not empty, both
      // bounds lie in the mapped block, so their last word is the IPv4 address.
      const startsInside = cmp6(start, si, MAPPED_START, 0) >= 0;
      const endsInside = cmp6(end, ei, MAPPED_END, 0) <= 0;
      const lo = startsInside ? start : MAPPED_START;
      const loAt = startsInside ? si : 0;
      const hi = endsInside ? end : MAPPED_END;
      const hiAt = endsInside ? ei : 0;
      if (cmp6(lo, loAt, hi, hiAt) <= 0) this.pushV4(lo[loAt + 3]!, hi[hiAt + 3]!);
      if (startsInside && endsInside) return; // nothing outside the mapped block
    }
    const at = this.count6 * 4;
    if (at === this.starts6.length) {
      this.starts6 = withRoom(this.starts6, at + 4);
      this.ends6 = withRoom(this.ends6, at + 4);
    }
    for (let k = 0; k < 4; k++) {
      this.starts6[at + k] = start[si + k]!;
      this.ends6[at + k] = end[ei + k]!;
    }
    this.count6++;
  }

  /** Add all of `other`'s ranges (block copies). */
  append(other: RangeList): void {
    const n4 = (this.count4 + other.count4) * 2;
    this.v4 = withRoom(this.v4, n4);
    this.v4.set(other.v4.subarray(0, other.count4 * 2), this.count4 * 2);
    this.count4 += other.count4;
    const n6 = (this.count6 + other.count6) * 4;
    this.starts6 = withRoom(this.starts6, n6);
    this.ends6 = withRoom(this.ends6, n6);
    this.starts6.set(other.starts6.subarray(0, other.count6 * 4), this.count6 * 4);
    this.ends6.set(other.ends6.subarray(0, other.count6 * 4), this.count6 * 4);
    this.count6 += other.count6;
    this.entries += other.entries;
  }

  /**
   * The stored ranges as `Range` objects, for code that loops over a parsed list (loading never does: use
   * `IpSetBuilder.addList`). An IPv6 entry reaching into ::ffff:0:0/96 comes out as an IPv4 and an IPv6 range;
   * adding them all to a builder gives the same set.
   */
  *[Symbol.iterator](): Generator<Range> {
    for (let i = 0; i < this.count4; i++) {
      yield { kind: 4, start: (this.v4[2 * i + HI]! ^ BIAS) >>> 0, end: (this.v4[2 * i + LO]! ^ BIAS) >>> 0 };
    }
    for (let i = 0; i < this.count6 * 4; i += 4) {
      yield { kind: 6, start: this.starts6.slice(i, i + 4), end: this.ends6.slice(i, i + 4) };
    }
  }

  private pushV4(start: number, end: number): void {
    const at = this.count4 * 2;
    if (at === this.v4.length) this.v4 = withRoom(this.v4, at + 2);
    this.v4[at + HI] = start ^ BIAS;
    this.v4[at + LO] = end ^ BIAS;
    this.count4++;
  }
}

/**
 * Sort the first `n` IPv4 ranges of `pairs` (biased) by start, in place, and merge them: the merged ranges'
 * bounds. The sort is the native one of the pairs read as int64: start first, then end.
 */
function mergeV4(pairs: Int32Array, n: number): [Uint32Array, Uint32Array] {
  new BigInt64Array(pairs.buffer, pairs.byteOffset, n).sort();
  const outS = new Uint32Array(n);
  const outE = new Uint32Array(n);
  const outS32 = new Int32Array(outS.buffer);
  const outE32 = new Int32Array(outE.buffer);
  let m = 0;
  let lastEnd = 0; // biased end of merged range m - 1
  for (let j = 0; j < 2 * n; j += 2) {
    const start = pairs[j + HI]!;
    const end = pairs[j + LO]!;
    if (m > 0 && start <= lastEnd + 1) {
      if (end > lastEnd) lastEnd = end;
    } else {
      if (m > 0) outE32[m - 1] = lastEnd ^ BIAS;
      outS32[m] = start ^ BIAS;
      lastEnd = end;
      m++;
    }
  }
  if (m > 0) outE32[m - 1] = lastEnd ^ BIAS;
  return [outS.slice(0, m), outE.slice(0, m)];
}

/**
 * The first `n` IPv6 ranges in order of start: (word, index) pairs whose LO words are the ranges' indexes in
 * that order. Each step is a native sort of the pairs, read as uint64, by one 32-bit word of the start, most
 * significant first; only a run of ranges whose starts share that word goes on to a sort by the next word, so
 * ranges spread over the address space (most lists) take one sort, and ranges packed into a few prefixes a
 * few more.
 */
function orderV6(starts: Uint32Array, n: number): Uint32Array {
  const pairs = new Uint32Array(2 * n);
  for (let i = 0; i < n; i++) {
    pairs[2 * i + HI] = starts[i * 4]!;
    pairs[2 * i + LO] = i;
  }
  sortRuns(pairs, new BigUint64Array(pairs.buffer), 0, n, starts, 0);
  return pairs;
}

/** Sort `pairs[from, to)`, which hold word `k` of each start, then each run of equal words by the next word. */
function sortRuns(
  pairs: Uint32Array,
  pairs64: BigUint64Array,
  from: number,
  to: number,
  starts: Uint32Array,
  k: number,
) {
  pairs64.subarray(from, to).sort();
  if (k === 3) return;
  let run = from; // where the current run of equal words began
  for (let j = from + 1; j <= to; j++) {
    if (j < to && pairs[2 * j + HI] === pairs[2 * run + HI]) continue;
    if (j - run > 1) {
      for (let r = run; r < j; r++) pairs[2 * r + HI] = starts[pairs[2 * r + LO]! * 4 + k + 1]!;
      sortRuns(pairs, pairs64, run, j, starts, k + 1);
    }
    run = j;
  }
}

/**
 * Sort the first `n` IPv6 ranges by start and merge them (four words per bound). The comparisons are
 * written out rather than calls: this loop runs mostly before the engine has compiled it.
 */
function mergeV6(starts: Uint32Array, ends: Uint32Array, n: number): [Uint32Array, Uint32Array] {
  const sorted = orderV6(starts, n);
  const outS = new Uint32Array(n * 4);
  const outE = new Uint32Array(n * 4);
  let m = 0; // merged ranges so far
  let last = 0; // where the last one's words are in outS and outE
  for (let j = 0; j < n; j++) {
    const i = sorted[2 * j + LO]! * 4;
    // Does this range join the last merged one: is its start at most that range's end + 1? The first word
    // that differs decides, and a start above the end still joins when it is exactly end + 1 (that word one
    // more, and every lower word 0 in the start and all ones in the end).
    let joins = m > 0;
    if (joins) {
      let k = 0;
      while (k < 4 && starts[i + k] === outE[last + k]) k++;
      if (k < 4 && starts[i + k]! > outE[last + k]!) {
        joins = starts[i + k] === outE[last + k]! + 1;
        for (let q = k + 1; q < 4 && joins; q++) joins = starts[i + q] === 0 && outE[last + q] === 0xffffffff;
      }
    }
    if (joins) {
      // Take this range's end when it is later.
      let k = 0;
      while (k < 4 && ends[i + k] === outE[last + k]) k++;
      if (k < 4 && ends[i + k]! > outE[last + k]!) for (; k < 4; k++) outE[last + k] = ends[i + k]!;
    } else {
      last = m * 4;
      m++;
      for (let k = 0; k < 4; k++) {
        outS[last + k] = starts[i + k]!;
        outE[last + k] = ends[i + k]!;
      }
    }
  }
  return [outS.slice(0, m * 4), outE.slice(0, m * 4)];
}

/** Collects ranges, then builds an immutable `IpSet`. */
export class IpSetBuilder {
  private readonly ranges = new RangeList();

  add(range: Range): this {
    this.ranges.add(range);
    return this;
  }

  /** Add a parsed list (block copies, however long the list). */
  addList(list: RangeList): this {
    this.ranges.append(list);
    return this;
  }

  /** The set of everything added so far. Sorts the collected ranges in place; more may be added afterwards. */
  build(): IpSet {
    const r = this.ranges;
    const [s4, e4] = mergeV4(r.v4, r.count4);
    const [s6, e6] = mergeV6(r.starts6, r.ends6, r.count6);
    return new IpSet(s4, e4, s6, e6);
  }
}

/** An IpSet's storage: four typed arrays, so a set built in a worker thread moves to the main one without a copy. */
export interface IpSetParts {
  s4: Uint32Array;
  e4: Uint32Array;
  s6: Uint32Array;
  e6: Uint32Array;
}

/**
 * The buffers to list as transferables when posting `parts` to another thread. The arrays' buffers are their
 * own (`IpSetBuilder` slices them out), so moving them takes nothing else along.
 */
export function buffersOf(parts: IpSetParts): ArrayBuffer[] {
  return Object.values(parts).map((array) => array.buffer as ArrayBuffer);
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

  static from(ranges: Iterable<Range> | RangeList): IpSet {
    const builder = new IpSetBuilder();
    if (ranges instanceof RangeList) builder.addList(ranges);
    else for (const r of ranges) builder.add(r);
    return builder.build();
  }

  /** The storage, for `postMessage` (list the arrays' buffers as transferables) and `fromParts`. */
  parts(): IpSetParts {
    return { s4: this.s4, e4: this.e4, s6: this.s6, e6: this.e6 };
  }

  /** A set from `parts()` of a set built elsewhere (already sorted and merged: nothing is checked). */
  static fromParts(p: IpSetParts): IpSet {
    return new IpSet(p.s4, p.e4, p.s6, p.e6);
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
