/**
 * C10: SQL injection payloads in every parameter of /api/v1/items (path id, query limit/offset/search, body
 * fields) change nothing and never cause a 500. Values are bound parameters, so a payload is just text: it is
 * refused by validation or stored and returned literally, and the table is intact afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders } from './helpers/auth.js';
import { type FreshDatabase, freshDatabase } from './helpers/database.js';
import { request, startServer, type TestServer } from './helpers/server.js';

const ITEMS = '/api/v1/items';

const PAYLOADS = [
  "' OR '1'='1",
  "' OR 1=1 --",
  '" OR ""="',
  '1; DROP TABLE items; --',
  "'; DELETE FROM items; --",
  "') OR ('1'='1",
  "' UNION SELECT id, owner_id, title, description, created_at, updated_at FROM items --",
  "1' AND SLEEP(3) AND '1'='1",
  "'; SELECT pg_sleep(3); --",
  "\\'; DROP TABLE items; --",
  '%',
  "%' --",
  "admin'/*",
  '1 OR 1=1',
  "x' || (select sqlite_version()) || '",
  '\u0000',
];

/**
 * Many requests from one address on a busy CI runner: rate limits and load shedding (tested by the core's own
 * tests) would answer 429/503 here and hide what these tests are about.
 */
const NOT_UNDER_TEST = {
  RATE_LIMIT_PER_MINUTE: '100000',
  LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
  MAX_EVENT_LOOP_DELAY_MS: '60000',
};

let fresh: FreshDatabase;
let server: TestServer;
let alice: Record<string, string>;
let canary: { id: string; title: string };

beforeAll(async () => {
  fresh = await freshDatabase();
  server = await startServer({ ...fresh.env, ...NOT_UNDER_TEST });
  alice = await authHeaders(server, 'alice');
  canary = (await request(server, ITEMS, { method: 'POST', json: { title: 'canary' }, headers: alice })).json();
});
afterAll(async () => {
  await server?.close();
  await fresh?.drop();
});

async function intact(): Promise<void> {
  const res = await request(server, `${ITEMS}/${canary.id}`, { headers: alice });
  expect(res.status).toBe(200);
  expect(res.json().title).toBe('canary');
}

describe('C10 SQL injection payloads change nothing and never 500', () => {
  it.each(PAYLOADS)('path id %j', async (payload) => {
    const path = `${ITEMS}/${encodeURIComponent(payload)}`;
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const res = await request(server, path, {
        method,
        ...(method === 'PATCH' ? { json: { title: 'x' } } : {}),
        headers: alice,
      });
      expect([400, 404], `${method} ${payload}`).toContain(res.status);
    }
    await intact();
  });

  it.each(PAYLOADS)('query limit, offset and search %j', async (payload) => {
    const q = encodeURIComponent(payload);
    for (const query of [`limit=${q}`, `offset=${q}`]) {
      const res = await request(server, `${ITEMS}?${query}`, { headers: alice });
      expect(res.status, query).toBe(400);
    }
    const started = Date.now();
    const search = await request(server, `${ITEMS}?search=${q}`, { headers: alice });
    // NUL cannot be stored or searched by PostgreSQL: refused up front on every engine.
    expect(search.status).toBe(payload.includes('\u0000') ? 400 : 200);
    // Literal matching: the payload finds at most items whose text contains it, never everything.
    for (const item of search.status === 200 ? search.json().data : []) {
      expect(`${item.title} ${item.description ?? ''}`.toLowerCase()).toContain(payload.trim().toLowerCase());
    }
    expect(Date.now() - started).toBeLessThan(2500);
    await intact();
  });

  it.each(PAYLOADS)('body title and description %j', async (payload) => {
    const res = await request(server, ITEMS, {
      method: 'POST',
      json: { title: `t ${payload}`, description: payload },
      headers: alice,
    });
    expect(res.status).not.toBe(500);
    if (res.status === 201) {
      const back = await request(server, `${ITEMS}/${res.json().id}`, { headers: alice });
      expect(back.json().title).toBe(res.json().title);
      // Stored as text: quotes and SQL keywords survive untouched.
      if (!['<', '>', '&', '\u0000'].some((c) => payload.includes(c)))
        expect(back.json().title).toBe(`t ${payload}`.trim());
    } else {
      expect(res.status).toBe(400);
    }
    const patch = await request(server, `${ITEMS}/${canary.id}`, {
      method: 'PATCH',
      json: { description: payload },
      headers: alice,
    });
    expect(patch.status).not.toBe(500);
    await intact();
  });

  it('after every payload the table still holds exactly what was created', async () => {
    const list = await request(server, `${ITEMS}?limit=100`, { headers: alice });
    expect(list.status).toBe(200);
    expect(list.json().total).toBe(list.json().data.length);
    await intact();
  });
});
