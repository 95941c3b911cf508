/**
 * The proof-of-work challenge and the pass it earns (W4).
 *
 * Challenges follow ALTCHA's open protocol (`altcha-lib`, the v1 format: find `number` with
 * SHA-256(salt + number) = challenge), signed with an HMAC key derived from WAF_CHALLENGE_SECRET. The salt
 * carries the expiry and a tag of the client it was issued to, both covered by the signature, so a solution
 * only counts for the client that asked. A solution is single-use: its challenge is recorded with
 * `store.setIfAbsent` (shared through Redis when configured), so replaying a payload fails everywhere.
 *
 * A solved challenge earns a pass: `<expiry>.<nonce>.<HMAC(client, expiry, nonce)>`, valid for
 * WAF_CHALLENGE_TTL seconds, for the client (IPv4 address or IPv6 /64) it was issued to and nobody else.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createChallenge, extractParams, verifySolution } from 'altcha-lib/v1';
import type { Store } from '../core/store.js';

/** The challenge as API clients receive it (the `challenge` member of the 429 body). */
export interface ChallengeBody {
  algorithm: string;
  challenge: string;
  salt: string;
  signature: string;
  maxnumber: number;
}

export type RedeemResult = 'ok' | 'invalid' | 'replayed';

/** How long a client has to solve a challenge. */
export const CHALLENGE_LIFETIME_MS = 10 * 60 * 1000;
const MAX_HEADER = 4096;

function derive(secret: string, purpose: string): Buffer {
  return createHmac('sha256', secret).update(`create-secure-api waf ${purpose}`).digest();
}

export class ChallengeService {
  private readonly altchaKey: string;
  private readonly passKey: Buffer;
  private readonly bindKey: Buffer;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly maxNumber: number,
  ) {
    this.altchaKey = derive(secret, 'altcha').toString('hex');
    this.passKey = derive(secret, 'pass');
    this.bindKey = derive(secret, 'bind');
  }

  /** A short tag of the client, so the salt names who the challenge is for without showing the address. */
  private bind(client: string): string {
    return createHmac('sha256', this.bindKey).update(client).digest('base64url').slice(0, 22);
  }

  async issue(client: string): Promise<ChallengeBody> {
    const c = await createChallenge({
      algorithm: 'SHA-256',
      hmacKey: this.altchaKey,
      maxnumber: this.maxNumber,
      expires: new Date(Date.now() + CHALLENGE_LIFETIME_MS),
      params: { c: this.bind(client) },
    });
    return {
      algorithm: c.algorithm,
      challenge: c.challenge,
      salt: c.salt,
      signature: c.signature,
      maxnumber: this.maxNumber,
    };
  }

  /** Check a solved payload (the base64 `X-Altcha` header) for this client, and burn it. */
  async redeem(header: string, client: string, store: Store): Promise<RedeemResult> {
    if (header.length === 0 || header.length > MAX_HEADER) return 'invalid';
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
    } catch {
      return 'invalid';
    }
    if (typeof payload !== 'object' || payload === null) return 'invalid';
    const p = payload as Record<string, unknown>;
    if (
      p.algorithm !== 'SHA-256' ||
      typeof p.challenge !== 'string' ||
      !/^[0-9a-f]{64}$/.test(p.challenge) ||
      typeof p.signature !== 'string' ||
      typeof p.salt !== 'string' ||
      p.salt.length > 512 ||
      typeof p.number !== 'number' ||
      !Number.isSafeInteger(p.number) ||
      p.number < 0 ||
      p.number > this.maxNumber
    ) {
      return 'invalid';
    }
    const solved = {
      algorithm: 'SHA-256' as const,
      challenge: p.challenge,
      number: p.number,
      salt: p.salt,
      signature: p.signature,
    };
    const params = extractParams(solved);
    const expires = Number(params.expires);
    if (!Number.isSafeInteger(expires) || expires * 1000 < Date.now()) return 'invalid';
    if (params.c !== this.bind(client)) return 'invalid';
    if (!(await verifySolution(solved, this.altchaKey, true))) return 'invalid';
    const fresh = await store.setIfAbsent(`waf:altcha:${p.challenge}`, '1', expires * 1000 - Date.now() + 60_000);
    return fresh ? 'ok' : 'replayed';
  }

  private sign(client: string, expiry: string, nonce: string): Buffer {
    return createHmac('sha256', this.passKey).update(`${client}\n${expiry}\n${nonce}`).digest();
  }

  issuePass(client: string): string {
    const expiry = String(Math.floor(Date.now() / 1000) + this.ttlSeconds);
    const nonce = randomBytes(12).toString('base64url');
    return `${expiry}.${nonce}.${this.sign(client, expiry, nonce).toString('base64url')}`;
  }

  /** A pass is good when it is well-formed, unexpired, and signed for this client. */
  verifyPass(pass: string, client: string): boolean {
    if (pass.length > 200) return false;
    const parts = pass.split('.');
    if (parts.length !== 3) return false;
    const [expiry, nonce, mac] = parts as [string, string, string];
    if (!/^\d{1,12}$/.test(expiry) || Number(expiry) * 1000 <= Date.now()) return false;
    if (!/^[A-Za-z0-9_-]{16}$/.test(nonce) || !/^[A-Za-z0-9_-]{43}$/.test(mac)) return false;
    const given = Buffer.from(mac, 'base64url');
    const expected = this.sign(client, expiry, nonce);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  get passTtlSeconds(): number {
    return this.ttlSeconds;
  }
}
