/**
 * IP address parsing for the WAF (W1, W3, W5), written by hand because the hot path must not allocate:
 * an IPv4 address becomes one uint32, an IPv6 address four uint32 words (most significant first). No BigInt,
 * no string splitting. IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is reported as IPv4, so one rule covers both forms.
 *
 * Accepted text is deliberately strict: dotted-quad IPv4 with no leading zeros (`010.0.0.1` is ambiguous:
 * octal to some tools, decimal to others), RFC 4291 IPv6 with at most one `::` and an optional trailing
 * dotted-quad, no zone id (`%eth0`), no brackets.
 */

/** What `parseAddress` found. */
export const INVALID = 0;
export const V4 = 4;
export const V6 = 6;
export type AddressKind = typeof INVALID | typeof V4 | typeof V6;

/** A parsed address: `v4` is set for IPv4 (and mapped IPv6), `v6` words for other IPv6. Reused, not copied. */
export interface Address {
  kind: AddressKind;
  v4: number;
  v6: Uint32Array;
}

export function newAddress(): Address {
  return { kind: INVALID, v4: 0, v6: new Uint32Array(4) };
}

const DOT = 46;
const COLON = 58;

/** Parse dotted-quad IPv4 in `s[from, to)`; -1 when invalid. */
export function parseIPv4(s: string, from = 0, to = s.length): number {
  let value = 0;
  let parts = 0;
  let i = from;
  while (i < to) {
    let octet = 0;
    let digits = 0;
    const first = i;
    while (i < to) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      octet = octet * 10 + (c - 48);
      digits++;
      i++;
    }
    if (digits === 0 || digits > 3 || octet > 255) return -1;
    if (digits > 1 && s.charCodeAt(first) === 48) return -1; // leading zero
    value = value * 256 + octet;
    parts++;
    if (i === to) break;
    if (s.charCodeAt(i) !== DOT || parts === 4) return -1;
    i++;
    if (i === to) return -1; // trailing dot
  }
  return parts === 4 ? value : -1;
}

/** Hex digit values by character code, -1 for anything else: a lookup, because this runs for every character. */
const hexValues = new Int8Array(128).fill(-1);
for (let c = 0; c < 10; c++) hexValues[48 + c] = c;
for (let c = 0; c < 6; c++) hexValues[65 + c] = hexValues[97 + c] = 10 + c;

const groups = new Uint16Array(8);

/**
 * Parse IPv6 in `s[from, to)` into `out` (four words). Returns false when invalid.
 * Fills 16-bit groups from the left until `::`, then from the right, then zero-fills the gap.
 */
export function parseIPv6(s: string, out: Uint32Array, from = 0, to = s.length): boolean {
  if (to - from < 2) return false;
  let count = 0; // groups written
  let gapAt = -1; // group index where `::` sits
  let i = from;
  if (s.charCodeAt(i) === COLON) {
    if (s.charCodeAt(i + 1) !== COLON) return false; // a single leading colon
    gapAt = 0;
    i += 2;
    if (i === to) {
      out.fill(0);
      return true; // `::`
    }
  }
  while (i < to) {
    if (count === 8) return false;
    // One group: hex digits, or a dotted quad that must be the last thing in the address.
    const start = i;
    let value = 0;
    let c = 0; // the character after the digits (when i < to)
    for (; i < to; i++) {
      c = s.charCodeAt(i);
      const h = c < 128 ? hexValues[c]! : -1;
      if (h < 0) break;
      value = value * 16 + h;
    }
    if (i < to && c === DOT) {
      if (count > 6) return false;
      const v4 = parseIPv4(s, start, to);
      if (v4 < 0) return false;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      i = to;
      break;
    }
    if (i === start || i - start > 4) return false;
    groups[count++] = value;
    if (i === to) break;
    if (c !== COLON) return false;
    i++;
    if (i < to && s.charCodeAt(i) === COLON) {
      if (gapAt >= 0) return false; // a second `::`
      gapAt = count;
      i++;
      if (i === to) break; // trailing `::`
    } else if (i === to) {
      return false; // a single trailing colon
    }
  }
  if (gapAt < 0) {
    if (count !== 8) return false;
  } else {
    if (count > 7) return false; // `::` stands for at least one group
    const tail = count - gapAt;
    for (let k = 7; k >= 8 - tail; k--) groups[k] = groups[k - (8 - count)]!;
    for (let k = gapAt; k < 8 - tail; k++) groups[k] = 0;
  }
  for (let w = 0; w < 4; w++) out[w] = ((groups[2 * w]! << 16) | groups[2 * w + 1]!) >>> 0;
  return true;
}

/** True for `::ffff:0:0/96`, the IPv4-mapped block. */
export function isMapped(w: Uint32Array, offset = 0): boolean {
  return w[offset] === 0 && w[offset + 1] === 0 && w[offset + 2] === 0xffff;
}

/** Parse any address into `into`; IPv4-mapped IPv6 becomes IPv4. */
export function parseAddress(s: string, into: Address): AddressKind {
  let colon = false;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) === COLON) {
      colon = true;
      break;
    }
  }
  if (!colon) {
    const v4 = parseIPv4(s);
    into.kind = v4 < 0 ? INVALID : V4;
    into.v4 = Math.max(v4, 0);
    return into.kind;
  }
  if (!parseIPv6(s, into.v6)) {
    into.kind = INVALID;
    return INVALID;
  }
  if (isMapped(into.v6)) {
    into.kind = V4;
    into.v4 = into.v6[3]!;
    return V4;
  }
  into.kind = V6;
  return V6;
}

/** Format a uint32 as dotted-quad (logs and tests). */
export function formatIPv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** Format four words as full (uncompressed) IPv6 text (logs and tests). */
export function formatIPv6(w: ArrayLike<number>, offset = 0): string {
  const parts: string[] = [];
  for (let k = 0; k < 4; k++) {
    const word = w[offset + k]!;
    parts.push((word >>> 16).toString(16), (word & 0xffff).toString(16));
  }
  return parts.join(':');
}

/**
 * The key a client is counted under (W4), from its address `a` already parsed from `ip` (the WAF parses each
 * client address once): the address itself for IPv4, the /64 for IPv6, because one IPv6 subscriber usually
 * holds a whole /64 and could otherwise rotate addresses to dodge per-client limits. Unparseable: `ip` as is.
 */
export function clientKeyOf(a: Address, ip: string): string {
  if (a.kind === V4) return formatIPv4(a.v4);
  if (a.kind === V6) {
    const w = a.v6;
    return `${(w[0]! >>> 16).toString(16)}:${(w[0]! & 0xffff).toString(16)}:${(w[1]! >>> 16).toString(16)}:${(w[1]! & 0xffff).toString(16)}::/64`;
  }
  return ip;
}
