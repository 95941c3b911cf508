/**
 * The WAF's per-request decision (W1, W2, W3, W5), synchronous and allocation-free on the common path:
 * parse the client IP once, then allowlist → denylist → anonymous proxies → country → user agent.
 * `bench/waf/decision.mjs` measures exactly this function.
 */
import type { IncomingMessage } from 'node:http';
import type { CountryRules } from './country.js';
import { type Address, newAddress, parseAddress } from './ip.js';
import type { IpRules } from './ip-rules.js';
import type { ProxyLists } from './proxy-lists.js';
import type { UaMatcher } from './user-agents.js';

/** Why a request is blocked; the `rule` label in logs and metrics. */
export type BlockRule = 'ip' | 'proxy' | 'country' | 'user_agent' | 'empty_user_agent';
/** `allow`: allowlisted, skips every WAF rule; null: no rule matched, go on to the flood gate. */
export type Verdict = BlockRule | 'allow' | null;

export class Rules {
  /** The client address the last `decide` parsed, for the flood gate that runs next (no second parse). */
  readonly address: Address = newAddress();

  constructor(
    readonly ip: IpRules,
    readonly proxies: ProxyLists | null,
    readonly country: CountryRules | null,
    readonly ua: UaMatcher,
  ) {}

  decide(clientIp: string, headers: IncomingMessage['headers']): Verdict {
    const a = this.address;
    parseAddress(clientIp, a); // an unparseable address matches no IP rule, but the UA rules still apply
    if (this.ip.allow.hasAddress(a)) return 'allow';
    if (this.ip.block.hasAddress(a)) return 'ip';
    if (this.proxies?.set.hasAddress(a)) return 'proxy';
    if (this.country?.blocks(a, headers)) return 'country';
    return this.ua.match(headers['user-agent']);
  }
}
