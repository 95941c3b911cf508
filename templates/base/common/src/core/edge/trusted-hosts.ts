/**
 * Trusted hosts (C19): a request whose Host is not in ALLOWED_HOSTS gets 400 before it reaches anything that
 * might build a URL from it (redirects, links in mail). The port is ignored; `*.example.com` allows subdomains.
 */
import type { EdgeStep } from '../types.js';
import { sendError } from './respond.js';

export function hostName(header: string | undefined): string {
  if (!header) return '';
  let host = header.trim().toLowerCase();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? '' : host.slice(0, end + 1);
  }
  const colon = host.indexOf(':');
  if (colon !== -1) host = host.slice(0, colon);
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

export function trustedHosts(allowed: readonly string[]): EdgeStep {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  for (const entry of allowed) {
    const host = entry.toLowerCase();
    if (host.startsWith('*.')) suffixes.push(host.slice(1));
    // Accept IPv6 literals with or without brackets in the setting.
    else exact.add(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
  }
  return (req, res) => {
    const host = hostName(req.headers.host);
    if (exact.has(host)) return false;
    for (const suffix of suffixes) if (host.endsWith(suffix) && host.length > suffix.length) return false;
    return sendError(req, res, 400, 'invalid_host', 'Host not allowed');
  };
}
