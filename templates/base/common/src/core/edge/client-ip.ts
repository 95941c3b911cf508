/**
 * The client IP (C34). Each trusted proxy appends the address it received the connection from to
 * X-Forwarded-For, so with N trusted hops the client is the Nth entry from the right; everything left of it
 * was written by the client and is ignored. With no hops (or no header) it is the socket address.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** Trim, drop an IPv6 zone, unwrap IPv4-mapped IPv6 (`::ffff:1.2.3.4`), lowercase. Empty when not an IP. */
export function normalizeIp(raw: string): string {
  let ip = raw.trim();
  const zone = ip.indexOf('%');
  if (zone !== -1) ip = ip.slice(0, zone);
  if (ip.length > 7 && ip.charCodeAt(0) === 58 /* : */ && /^::ffff:/i.test(ip)) {
    const v4 = ip.slice(7);
    if (isIP(v4) === 4) return v4;
  }
  const kind = isIP(ip);
  if (kind === 4) return ip;
  if (kind === 6) return ip.toLowerCase();
  return '';
}

export function clientIp(req: IncomingMessage, hops: number): string {
  const socketIp = normalizeIp(req.socket.remoteAddress ?? '') || '0.0.0.0';
  if (hops <= 0) return socketIp;
  // Node joins repeated X-Forwarded-For headers with ", " in order, which is what proxies mean by them.
  const header = req.headers['x-forwarded-for'];
  if (typeof header !== 'string' || header === '') return socketIp;
  const entries = header.split(',');
  // Fewer entries than hops: the leftmost is as far back as the trusted chain reaches.
  const entry = entries[Math.max(0, entries.length - hops)]!;
  return normalizeIp(entry) || socketIp;
}

/**
 * The rate-limit identity of an address: IPv4 as is, IPv6 by its /64 (one subscriber usually holds a whole
 * /64, so per-address counting would be trivially bypassed).
 */
export function clientKey(ip: string): string {
  if (ip.indexOf(':') === -1) return ip;
  const [head = '', tail] = ip.split('::', 2);
  const left = head === '' ? [] : head.split(':');
  let groups: string[];
  if (tail === undefined) {
    groups = left;
  } else {
    const right = tail === '' ? [] : tail.split(':');
    const width = right.length + (right.length > 0 && right[right.length - 1]!.includes('.') ? 1 : 0);
    groups = [...left, ...new Array<string>(Math.max(0, 8 - left.length - width)).fill('0'), ...right];
  }
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
