// A deterministic WAF_BLOCK_IPS_FILE with N rules, shaped like a real blocklist: 90 % IPv4 /16–/32, 10 % IPv6
// /32–/128, some trailing comments. No rule covers BENCH_CLIENT_IP (the load's X-Forwarded-For value), so
// every measured request walks the whole decision and is allowed.
import { writeFileSync } from 'node:fs';

/** The client address the load claims to come from (a header value only: no traffic goes there). */
export const BENCH_CLIENT_IP = '81.2.69.160';
const CLIENT_FIRST_OCTET = 81;

export function writeRulesFile(path, count) {
  let seed = 12345;
  const rand = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 0x100000000;
  const octet = () => (rand() * 256) | 0;
  const first = () => {
    const o = 1 + ((rand() * 222) | 0);
    return o === CLIENT_FIRST_OCTET || o === 127 || o === 10 ? o + 1 : o;
  };
  const hex = (max) => ((rand() * max) | 0).toString(16);
  const lines = [`# ${count} generated rules (bench/stack/rules.mjs)`];
  for (let i = 0; i < count; i++) {
    if (i % 10 === 9) lines.push(`2${hex(0xfff)}:${hex(0x10000)}:${hex(0x10000)}::${hex(0x10000)}/${32 + ((rand() * 97) | 0)}`);
    else lines.push(`${first()}.${octet()}.${octet()}.${octet()}/${16 + ((rand() * 17) | 0)}${i % 50 === 0 ? ' # scanner' : ''}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}
