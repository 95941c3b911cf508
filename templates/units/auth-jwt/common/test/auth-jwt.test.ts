/**
 * Auth style `jwt` under attack, over real HTTP (C05, C07, C08, C21): forged, altered, expired, misdirected and
 * misused tokens all get 401; refresh tokens rotate, reuse kills the family; logout revokes by jti.
 */
import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../src/database/db.js';
import { ensureUser, login, testUser, tokens } from './helpers/auth.js';
import { type FreshDatabase, freshDatabase } from './helpers/database.js';
import { request, startServer, type TestServer } from './helpers/server.js';

const SECRET = 'test-only 9f8e7d6c5b4a39281706f5e4d3c2b1a0 signing key';
const ISSUER = 'test-issuer';
const AUDIENCE = 'test-audience';
const ME = '/api/v1/users/me';

let fresh: FreshDatabase;
let server: TestServer;
let aliceId: string;

beforeAll(async () => {
  fresh = await freshDatabase();
  server = await startServer({
    ...fresh.env,
    JWT_SECRET: SECRET,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    RATE_LIMIT_PER_MINUTE: '100000',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    // Parallel test files on a small machine can stall the loop; load shedding has its own tests.
    MAX_EVENT_LOOP_DELAY_MS: '60000',
  });
  aliceId = await ensureUser(server, 'alice');
});
afterAll(async () => {
  await server?.close();
  await fresh?.drop();
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function me(headers: Record<string, string>) {
  return request(server, ME, { headers });
}

/** A token signed with `key` (the real secret unless told otherwise) from these claims and header. */
async function forge(
  claims: Record<string, unknown>,
  options: { key?: string; header?: Record<string, unknown>; omit?: string[] } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: aliceId,
    jti: crypto.randomUUID(),
    iat: now,
    exp: now + 600,
    token_use: 'access',
    fid: crypto.randomUUID(),
    role: 'user',
    ...claims,
  };
  for (const name of options.omit ?? []) delete payload[name];
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', ...options.header } as { alg: string })
    .sign(new TextEncoder().encode(options.key ?? SECRET));
}

describe('C05 OAuth2 password flow at POST /api/v1/auth/token', () => {
  it('answers form-encoded and JSON requests with a bearer token pair, not cacheable', async () => {
    const { email, password } = testUser('alice');
    const form = await login(server, email, password);
    const json = await request(server, '/api/v1/auth/token', {
      method: 'POST',
      json: { grant_type: 'password', username: email, password },
    });
    for (const res of [form, json]) {
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toContain('no-store');
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type']);
      expect(body).toMatchObject({ token_type: 'bearer', expires_in: 900 });
      const header = decode(body.access_token.split('.')[0]);
      expect(header).toEqual({ alg: 'HS256', typ: 'at+jwt' });
      const claims = decode(body.access_token.split('.')[1]);
      for (const claim of ['exp', 'iat', 'iss', 'aud', 'sub', 'jti']) expect(claims).toHaveProperty(claim);
      expect(claims.exp - claims.iat).toBe(900);
      expect(claims).toMatchObject({ iss: ISSUER, aud: AUDIENCE, sub: aliceId, token_use: 'access' });
    }
  });

  it('answers bad credentials with 401 and one generic message, and an unknown grant with 400', async () => {
    const res = await login(server, 'alice@example.com', 'wrong passphrase here');
    expect(res.status).toBe(401);
    expect(res.json().error.message).toBe('Invalid email or password.');
    expect(res.text).not.toContain('access_token');
    const grant = await request(server, '/api/v1/auth/token', {
      method: 'POST',
      form: { grant_type: 'client_credentials' },
    });
    expect(grant.status).toBe(400);
  });
});

describe('C08 bearer guard', () => {
  it('401 with WWW-Authenticate: Bearer without a token, 200 with one', async () => {
    const none = await me({});
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    const { access_token } = await tokens(server, 'alice');
    expect((await me(bearer(access_token))).status).toBe(200);
    // The scheme name is case-insensitive (RFC 9110).
    expect((await me({ authorization: `bearer ${access_token}` })).status).toBe(200);
  });

  it('ignores a token in the query string or a cookie, and under any other scheme', async () => {
    const { access_token } = await tokens(server, 'alice');
    expect((await request(server, `${ME}?access_token=${access_token}`)).status).toBe(401);
    expect((await request(server, `${ME}?token=${access_token}`)).status).toBe(401);
    expect((await me({ cookie: `access_token=${access_token}` })).status).toBe(401);
    for (const scheme of ['Basic', 'Token', 'JWT', 'Bearer:', 'Digest', 'MAC', 'Bearerx']) {
      const res = await me({ authorization: `${scheme} ${access_token}` });
      expect(res.status, scheme).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    expect((await me({ authorization: access_token })).status).toBe(401);
    expect((await me({ authorization: 'Bearer' })).status).toBe(401);
    expect((await me({ authorization: `Bearer ${access_token} extra` })).status).toBe(401);
  });
});

describe('C07 forged and tampered access tokens are refused', () => {
  it('accepts a well-formed token signed with the key (the forging helper is right)', async () => {
    expect((await me(bearer(await forge({})))).status).toBe(200);
  });

  it('refuses alg "none" in every casing, signed or not', async () => {
    const { access_token } = await tokens(server, 'alice');
    const [, payload, signature] = access_token.split('.');
    for (const alg of ['none', 'None', 'NONE', 'nOnE', 'noNe']) {
      for (const sig of ['', signature]) {
        const token = `${b64({ alg, typ: 'at+jwt' })}.${payload}.${sig}`;
        expect((await me(bearer(token))).status, `${alg}/${sig ? 'sig' : 'empty'}`).toBe(401);
      }
    }
  });

  it('refuses a token signed with another key, and other algorithms with the right key', async () => {
    expect((await me(bearer(await forge({}, { key: 'another key that is also 32+ bytes long!!' })))).status).toBe(401);
    const hs512 = await forge({ fid: 'f' }, { header: { alg: 'HS512' } });
    expect((await me(bearer(hs512))).status).toBe(401);
  });

  it('refuses changed claims under the original signature', async () => {
    const { access_token } = await tokens(server, 'alice');
    const [header, payload, signature] = access_token.split('.');
    const claims = decode(payload as string);
    for (const change of [{ role: 'admin' }, { sub: crypto.randomUUID() }, { exp: claims.exp + 3600 }]) {
      const token = `${header}.${b64({ ...claims, ...change })}.${signature}`;
      expect((await me(bearer(token))).status, JSON.stringify(change)).toBe(401);
    }
    // A changed signature: its first character, which carries six whole bits (the last one's low bits are
    // padding that a base64url decoder may ignore).
    const sig = signature as string;
    const bad = `${header}.${payload}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    expect((await me(bearer(bad))).status).toBe(401);
  });

  it('refuses expired, not-yet-valid and future-dated-but-expired tokens', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await me(bearer(await forge({ iat: now - 1000, exp: now - 10 })))).status).toBe(401);
    expect((await me(bearer(await forge({ nbf: now + 300 })))).status).toBe(401);
  });

  it('refuses tokens missing exp, iat, iss, aud, sub or jti', async () => {
    for (const claim of ['exp', 'iat', 'iss', 'aud', 'sub', 'jti']) {
      expect((await me(bearer(await forge({}, { omit: [claim] })))).status, claim).toBe(401);
    }
  });

  it('refuses a wrong audience or issuer', async () => {
    expect((await me(bearer(await forge({ aud: 'another-api' })))).status).toBe(401);
    expect((await me(bearer(await forge({ aud: [`${AUDIENCE}x`] })))).status).toBe(401);
    expect((await me(bearer(await forge({ iss: 'https://evil.example' })))).status).toBe(401);
  });

  it('never takes a refresh token as an access token, whatever its header says', async () => {
    const { refresh_token } = await tokens(server, 'alice');
    expect((await me(bearer(refresh_token))).status).toBe(401);
    expect((await me(bearer(await forge({ token_use: 'refresh' })))).status).toBe(401);
    expect((await me(bearer(await forge({}, { header: { typ: 'rt+jwt' } })))).status).toBe(401);
    expect((await me(bearer(await forge({}, { header: { typ: 'JWT' } })))).status).toBe(401);
  });
});

describe('C07 refresh rotation, reuse detection and absolute lifetime', () => {
  function refresh(token: string) {
    return request(server, '/api/v1/auth/refresh', { method: 'POST', json: { refresh_token: token } });
  }

  it('rotates: a refresh gives a new working pair, not cacheable', async () => {
    const first = await tokens(server, 'alice');
    const res = await refresh(first.refresh_token);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toContain('no-store');
    const next = res.json();
    expect(next.refresh_token).not.toBe(first.refresh_token);
    expect((await me(bearer(next.access_token))).status).toBe(200);
    // The OAuth2 form of the same exchange.
    const viaToken = await request(server, '/api/v1/auth/token', {
      method: 'POST',
      form: { grant_type: 'refresh_token', refresh_token: next.refresh_token },
    });
    expect(viaToken.status).toBe(200);
  });

  it('reusing a rotated refresh token is 401 and revokes the whole family', async () => {
    const first = await tokens(server, 'alice');
    const second = (await refresh(first.refresh_token)).json();
    expect((await me(bearer(second.access_token))).status).toBe(200);
    const reuse = await refresh(first.refresh_token);
    expect(reuse.status).toBe(401);
    // The legitimate holder's newer tokens die too: the family is compromised.
    expect((await refresh(second.refresh_token)).status).toBe(401);
    expect((await me(bearer(second.access_token))).status).toBe(401);
    expect((await me(bearer(first.access_token))).status).toBe(401);
    // Other logins of the same user are not affected.
    expect((await me(bearer((await tokens(server, 'alice')).access_token))).status).toBe(200);
    expect(server.logs.some((line) => line.includes('"event":"refresh_reuse"'))).toBe(true);
  });

  it('refuses an access token as a refresh token, and garbage', async () => {
    const { access_token } = await tokens(server, 'alice');
    expect((await refresh(access_token)).status).toBe(401);
    expect((await refresh('not-a-token')).status).toBe(401);
    const forgedRefresh = await forge({ token_use: 'refresh', role: undefined }, { header: { typ: 'rt+jwt' } });
    expect((await refresh(forgedRefresh)).status).toBe(401); // signed right, but never issued (no row)
  });

  it('ends a family at its absolute lifetime however often it is rotated', async () => {
    const first = await tokens(server, 'alice');
    const fid = decode(first.refresh_token.split('.')[1] as string).fid;
    await getDb(server.app)
      .updateTable('refresh_tokens')
      .set({ family_expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('family_id', '=', fid)
      .execute();
    expect((await refresh(first.refresh_token)).status).toBe(401);
  });
});

describe('C07 logout revokes by jti and ends the refresh family', () => {
  it('the access token and its refresh token stop working at once, even after being used (cached)', async () => {
    const pair = await tokens(server, 'alice');
    for (let i = 0; i < 3; i++) expect((await me(bearer(pair.access_token))).status).toBe(200);
    const out = await request(server, '/api/v1/auth/logout', { method: 'POST', headers: bearer(pair.access_token) });
    expect(out.status).toBe(204);
    expect((await me(bearer(pair.access_token))).status).toBe(401);
    const again = await request(server, '/api/v1/auth/refresh', {
      method: 'POST',
      json: { refresh_token: pair.refresh_token },
    });
    expect(again.status).toBe(401);
    expect(
      (await request(server, '/api/v1/auth/logout', { method: 'POST', headers: bearer(pair.access_token) })).status,
    ).toBe(401);
  });

  it('stores revocation by jti, not by the token string', async () => {
    const pair = await tokens(server, 'alice');
    const { jti } = decode(pair.access_token.split('.')[1] as string);
    await request(server, '/api/v1/auth/logout', { method: 'POST', headers: bearer(pair.access_token) });
    expect(await server.app.store.get(`jwt:revoked:${jti}`)).not.toBeNull();
  });
});

describe('C14 no token or password in the log', () => {
  it('after the attacks above, the log holds no token, signature or password', async () => {
    const pair = await tokens(server, 'alice');
    await me(bearer(pair.access_token));
    await me(bearer(`${pair.access_token}x`));
    const log = server.logs.join('\n');
    expect(log).not.toContain(pair.access_token.split('.')[2]);
    expect(log).not.toContain(pair.refresh_token.split('.')[2]);
    expect(log).not.toContain(testUser('alice').password);
    expect(log).not.toContain(SECRET);
  });
});

describe('C21 JWT_SECRET in production', () => {
  const production = { NODE_ENV: 'production', ALLOWED_HOSTS: 'api.example.com' };

  it('refuses to boot without it, or with a weak or short one, naming the variable and not the value', async () => {
    for (const value of [
      undefined,
      'changeme-changeme-changeme-changeme',
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      'short but real 1#Q',
    ]) {
      const started = startServer({ ...fresh.env, ...production, DATABASE_SSL: 'disable', JWT_SECRET: value });
      const error = await started.then(
        async (s) => {
          await s.close();
          return undefined;
        },
        (e: Error) => e,
      );
      expect(error, String(value)).toBeInstanceOf(Error);
      expect(error?.message).toContain('JWT_SECRET');
      if (value) expect(error?.message).not.toContain(value);
    }
  });

  it('boots with a strong one', async () => {
    const strong = createHmac('sha256', 'x').update(String(Math.random())).digest('base64');
    const s = await startServer({ ...fresh.env, ...production, DATABASE_SSL: 'disable', JWT_SECRET: strong });
    await s.close();
  });
});
