/**
 * The flood gate (W4), after the rules: shed load over the hard threshold, then challenge clients that are
 * over the soft threshold (or everyone, with WAF_CHALLENGE=always) unless they hold a valid pass.
 *
 * - Hard threshold: requests per second *per instance*, counted in process memory. Shedding protects this
 *   process, and it must cost nothing: no store round trip, no crypto, a fixed 503 with Retry-After.
 * - Soft threshold: requests per minute per client (IPv4 address or IPv6 /64), counted in `app.store`, so with
 *   the redis unit and REDIS_URL every instance sees one count.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { errorBody } from '../core/errors.js';
import type { HitResult, Store } from '../core/store.js';
import type { ChallengeService } from './challenge.js';
import { challengePage, PAGE_CSP } from './challenge-page.js';
import { type Address, clientKeyOf } from './ip.js';
import { appendSetCookie, readCookie, sendHtml, sendJson } from './respond.js';

export const PASS_COOKIE = 'waf_pass';
export const PASS_HEADER = 'x-waf-pass';
export const SOLUTION_HEADER = 'x-altcha';

/** Probes that must not be asked to solve puzzles (a load balancer or uptime monitor cannot). */
const EXEMPT_PATHS = new Set(['/health', '/ready']);

export interface FloodOptions {
  mode: 'off' | 'auto' | 'always';
  threshold: number;
  hardThreshold: number;
  secureCookie: boolean;
}

/** A fixed one-second window counter in memory. */
export class SecondCounter {
  private windowStart = 0;
  private count = 0;

  /** Count one request; returns the count in the current second. */
  hit(now: number): number {
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.count = 0;
    }
    return ++this.count;
  }
}

/** What the gate did with a request. */
export type GateOutcome = 'pass' | 'challenged' | 'solved';

export class FloodGate {
  readonly perSecond = new SecondCounter();

  constructor(
    private readonly options: FloodOptions,
    private readonly challenge: ChallengeService,
    private readonly log: Logger,
  ) {}

  /** True when the hard threshold is crossed by this request. */
  overHard(now: number): boolean {
    return this.options.hardThreshold > 0 && this.perSecond.hit(now) > this.options.hardThreshold;
  }

  get active(): boolean {
    return this.options.mode !== 'off';
  }

  exempt(req: IncomingMessage): boolean {
    return EXEMPT_PATHS.has(req.edge.path);
  }

  private presentedPass(req: IncomingMessage): string | undefined {
    const header = req.headers[PASS_HEADER];
    if (typeof header === 'string' && header.length > 0) return header;
    return readCookie(req, PASS_COOKIE);
  }

  /**
   * `'pass'` to let the request through, or what the request ended as. The common case, a client under the
   * threshold counted in memory, is answered synchronously: no promise and no extra tick on every API request
   * (the in-memory store counts synchronously; a shared store such as Redis takes the asynchronous path).
   */
  gate(req: IncomingMessage, res: ServerResponse, store: Store, address: Address): 'pass' | Promise<GateOutcome> {
    const client = clientKeyOf(address, req.edge.ip);
    const pass = this.presentedPass(req);
    if (pass !== undefined && this.challenge.verifyPass(pass, client)) return 'pass';
    if (this.options.mode !== 'auto') return this.challengeOrRedeem(req, res, store, client, pass, false);
    const key = `waf:rate:${client}`;
    const threshold = this.options.threshold;
    const counted = ({ count }: HitResult): 'pass' | Promise<GateOutcome> =>
      count <= threshold ? 'pass' : this.challengeOrRedeem(req, res, store, client, pass, count === threshold + 1);
    return store.hitSync !== undefined ? counted(store.hitSync(key, 60_000)) : store.hit(key, 60_000).then(counted);
  }

  /** Over the threshold (or `always`): redeem a presented solution, or answer with a challenge. */
  private async challengeOrRedeem(
    req: IncomingMessage,
    res: ServerResponse,
    store: Store,
    client: string,
    pass: string | undefined,
    firstOver: boolean,
  ): Promise<GateOutcome> {
    const solution = req.headers[SOLUTION_HEADER];
    if (typeof solution === 'string') {
      const result = await this.challenge.redeem(solution, client, store);
      if (result === 'ok') {
        const issued = this.challenge.issuePass(client);
        res.setHeader('X-Waf-Pass', issued);
        appendSetCookie(
          res,
          `${PASS_COOKIE}=${issued}; Path=/; Max-Age=${this.challenge.passTtlSeconds}; HttpOnly; SameSite=Lax${this.options.secureCookie ? '; Secure' : ''}`,
        );
        this.log.info({ event: 'waf_challenge_solved', requestId: req.edge.id }, 'WAF challenge solved; pass issued');
        return 'solved';
      }
      this.log.warn(
        { event: 'waf_challenge_refused', reason: result, ip: req.edge.ip, requestId: req.edge.id },
        'WAF challenge solution refused',
      );
    } else if (pass !== undefined) {
      this.log.warn({ event: 'waf_pass_refused', ip: req.edge.ip, requestId: req.edge.id }, 'WAF pass refused');
    }
    // One warn line when a client crosses the threshold, not one per request of a flood.
    if (firstOver) {
      this.log.warn(
        { event: 'waf_challenge', rule: 'challenge', ip: req.edge.ip, requestId: req.edge.id },
        'WAF challenge issued',
      );
    }
    const challenge = await this.challenge.issue(client);
    const accept = req.headers.accept;
    if (typeof accept === 'string' && accept.includes('text/html')) {
      sendHtml(req, res, 429, challengePage(challenge), PAGE_CSP);
    } else {
      sendJson(req, res, 429, {
        ...errorBody('challenge_required', 'Solve the challenge and retry with the solution in X-Altcha', req.edge.id),
        challenge,
      });
    }
    return 'challenged';
  }
}
