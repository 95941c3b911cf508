/**
 * /api/v1/items over real HTTP on a real database: CRUD, strict bodies (C03), pagination bounds (C04), the
 * response allowlist (C23), sanitised rich text (C17) and owner scoping. Credentials come from the auth unit's
 * `authHeaders()`; with auth `none` every caller is the same anonymous principal, so ownership is skipped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answers } from './helpers/answers.js';
import { authHeaders } from './helpers/auth.js';
import { type FreshDatabase, freshDatabase } from './helpers/database.js';
import { request, startServer, type TestServer } from './helpers/server.js';

const authStyle = answers.auth;
const ITEMS = '/api/v1/items';
const ITEM_KEYS = ['createdAt', 'description', 'id', 'title', 'updatedAt'];

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

beforeAll(async () => {
  fresh = await freshDatabase();
  server = await startServer({ ...fresh.env, ...NOT_UNDER_TEST });
  alice = await authHeaders(server, 'alice');
});
afterAll(async () => {
  await server?.close();
  await fresh?.drop();
});

function post(body: unknown, headers = alice) {
  return request(server, ITEMS, { method: 'POST', json: body, headers });
}

describe('C03 C23 items CRUD through the field allowlist', () => {
  it('creates, reads, lists, updates and deletes an item', async () => {
    const created = await post({ title: 'First', description: 'Some text' });
    expect(created.status).toBe(201);
    const item = created.json();
    expect(Object.keys(item).sort()).toEqual(ITEM_KEYS);
    expect(item).toMatchObject({ title: 'First', description: 'Some text' });
    expect(item.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(item.createdAt).toISOString()).toBe(item.createdAt);

    const read = await request(server, `${ITEMS}/${item.id}`, { headers: alice });
    expect(read.status).toBe(200);
    expect(read.json()).toEqual(item);

    const list = await request(server, ITEMS, { headers: alice });
    expect(list.status).toBe(200);
    const page = list.json();
    expect(Object.keys(page).sort()).toEqual(['data', 'limit', 'offset', 'total']);
    expect(page.data.map((i: { id: string }) => i.id)).toContain(item.id);
    for (const listed of page.data) expect(Object.keys(listed).sort()).toEqual(ITEM_KEYS);

    const patched = await request(server, `${ITEMS}/${item.id}`, {
      method: 'PATCH',
      json: { title: 'Renamed' },
      headers: alice,
    });
    expect(patched.status).toBe(200);
    expect(patched.json()).toMatchObject({
      id: item.id,
      title: 'Renamed',
      description: 'Some text',
      createdAt: item.createdAt,
    });
    expect(patched.json().updatedAt >= item.updatedAt).toBe(true);

    const cleared = await request(server, `${ITEMS}/${item.id}`, {
      method: 'PATCH',
      json: { description: null },
      headers: alice,
    });
    expect(cleared.json().description).toBeNull();

    const deleted = await request(server, `${ITEMS}/${item.id}`, { method: 'DELETE', headers: alice });
    expect(deleted.status).toBe(204);
    expect((await request(server, `${ITEMS}/${item.id}`, { headers: alice })).status).toBe(404);
    expect((await request(server, `${ITEMS}/${item.id}`, { method: 'DELETE', headers: alice })).status).toBe(404);
  });

  it('a well-formed id that does not exist is 404; a malformed one is 400', async () => {
    expect((await request(server, `${ITEMS}/00000000-0000-4000-8000-000000000000`, { headers: alice })).status).toBe(
      404,
    );
    expect((await request(server, `${ITEMS}/not-an-id`, { headers: alice })).status).toBe(400);
  });
});

describe('C03 item bodies are validated and strict (no mass assignment)', () => {
  it.each([
    ['no title', { description: 'x' }],
    ['empty title', { title: '' }],
    ['blank title', { title: '   ' }],
    ['title over 200 characters', { title: 'x'.repeat(201) }],
    ['description over 10000 characters', { title: 't', description: 'x'.repeat(10_001) }],
    ['title of the wrong type', { title: 123 }],
    ['title as an object', { title: { $gt: '' } }],
    ['title as an array', { title: ['a', 'b'] }],
    ['a body that is not an object', ['title']],
  ])('refuses %s with 400 and a field list', async (_name, body) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
  });

  it('refuses unknown fields, naming each, and creates nothing', async () => {
    const before = (await request(server, ITEMS, { headers: alice })).json().total;
    const res = await post({
      title: 'mine',
      id: 'chosen-id',
      owner_id: 'someone-else',
      ownerId: 'x',
      createdAt: '2000-01-01',
    });
    expect(res.status).toBe(400);
    const paths = res.json().error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['body.id', 'body.owner_id', 'body.ownerId', 'body.createdAt']));
    expect((await request(server, ITEMS, { headers: alice })).json().total).toBe(before);
  });

  it('refuses unknown fields and empty changes on PATCH', async () => {
    const { id } = (await post({ title: 'patch me' })).json();
    const extra = await request(server, `${ITEMS}/${id}`, {
      method: 'PATCH',
      json: { title: 'ok', owner_id: 'bob' },
      headers: alice,
    });
    expect(extra.status).toBe(400);
    const empty = await request(server, `${ITEMS}/${id}`, { method: 'PATCH', json: {}, headers: alice });
    expect(empty.status).toBe(400);
    expect((await request(server, `${ITEMS}/${id}`, { headers: alice })).json().title).toBe('patch me');
  });

  it('accepts the limits exactly', async () => {
    const res = await post({ title: 't'.repeat(200), description: 'd'.repeat(10_000) });
    expect(res.status).toBe(201);
  });
});

describe('C17 rich text is sanitised: no tag or handler ever comes back', () => {
  const payloads = [
    '<script>alert(1)</script>hello',
    '<img src=x onerror=alert(1)>hello',
    '<svg onload=alert(1)>hello</svg>',
    '<a href="javascript:alert(1)" onclick="x()">hello</a>',
    '<scr<script>ipt>alert(1)</script>hello',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>hello',
    '<<script>script>alert(1)<</script>/script>hello',
  ];

  it.each(payloads)('description %s', async (payload) => {
    const res = await post({ title: 'xss', description: payload });
    expect(res.status).toBe(201);
    for (const text of [res.text, (await request(server, `${ITEMS}/${res.json().id}`, { headers: alice })).text]) {
      expect(text).not.toMatch(/<script|<img|<svg|<iframe|<a /i);
      expect(text).not.toMatch(/onerror=|onload=|onclick=/i);
    }
    expect(res.json().description).toContain('hello');
  });

  it('strips tags from titles too, and refuses a title that was only markup', async () => {
    const res = await post({ title: '<b onmouseover=alert(1)>Bold</b> title' });
    expect(res.status).toBe(201);
    expect(res.json().title).toBe('Bold title');
    expect((await post({ title: '<img src=x onerror=alert(1)>' })).status).toBe(400);
  });

  it('sanitises on PATCH as well', async () => {
    const { id } = (await post({ title: 'p' })).json();
    const res = await request(server, `${ITEMS}/${id}`, {
      method: 'PATCH',
      json: { description: '<script>alert(1)</script><img src=x onerror=alert(1)>ok' },
      headers: alice,
    });
    expect(res.status).toBe(200);
    expect(res.json().description).toBe('ok');
  });
});

describe('C04 C27 pagination is bounded and validated', () => {
  let owner: Record<string, string>;
  beforeAll(async () => {
    // Own principal for a known count (with auth none everyone shares one, so count relative to a search).
    owner = alice;
    for (let i = 0; i < 25; i++) {
      const res = await post({ title: `page-item ${String(i).padStart(2, '0')}` }, owner);
      expect(res.status).toBe(201);
    }
  });

  it('defaults to 20, newest first, with the total', async () => {
    const res = await request(server, `${ITEMS}?search=page-item`, { headers: owner });
    const page = res.json();
    expect(page.limit).toBe(20);
    expect(page.offset).toBe(0);
    expect(page.total).toBe(25);
    expect(page.data).toHaveLength(20);
    expect(page.data[0].title).toBe('page-item 24');
  });

  it('pages with limit and offset', async () => {
    const res = await request(server, `${ITEMS}?search=page-item&limit=10&offset=20`, { headers: owner });
    expect(res.status).toBe(200);
    expect(res.json().data.map((i: { title: string }) => i.title)).toEqual([
      'page-item 04',
      'page-item 03',
      'page-item 02',
      'page-item 01',
      'page-item 00',
    ]);
    expect((await request(server, `${ITEMS}?limit=100`, { headers: owner })).status).toBe(200);
  });

  it.each([
    'limit=100000',
    'limit=101',
    'limit=0',
    'limit=-1',
    'limit=abc',
    'limit=1.5',
    'offset=-1',
    'offset=abc',
    'offset=99999999999',
    'limit=1&limit=2',
  ])('refuses %s with 400', async (query) => {
    const res = await request(server, `${ITEMS}?${query}`, { headers: owner });
    expect(res.status).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
  });

  it('refuses a search term over 200 characters', async () => {
    expect((await request(server, `${ITEMS}?search=${'a'.repeat(201)}`, { headers: owner })).status).toBe(400);
  });
});

describe('C10 search matches text literally: LIKE wildcards are escaped', () => {
  beforeAll(async () => {
    for (const title of [
      'like 100% sure',
      'like 100 percent',
      'like a_b',
      'like axb',
      'like back\\slash',
      'like bang!',
      'LIKE Upper',
    ]) {
      expect((await post({ title })).status).toBe(201);
    }
  });

  const titles = async (search: string) =>
    (await request(server, `${ITEMS}?search=${encodeURIComponent(search)}&limit=100`, { headers: alice }))
      .json()
      .data.map((i: { title: string }) => i.title)
      .filter((t: string) => t.toLowerCase().startsWith('like '))
      .sort();

  it('% and _ are not wildcards', async () => {
    expect(await titles('%')).toEqual(['like 100% sure']);
    expect(await titles('100%')).toEqual(['like 100% sure']);
    expect(await titles('_')).toEqual(['like a_b']);
    expect(await titles('a_b')).toEqual(['like a_b']);
  });

  it('the escape character and the backslash are literal too', async () => {
    expect(await titles('!')).toEqual(['like bang!']);
    expect(await titles('\\')).toEqual(['like back\\slash']);
  });

  it('finds text with <, > and & as typed (they are stored escaped)', async () => {
    expect((await post({ title: 'like a < b && c > d' })).status).toBe(201);
    expect(await titles('a < b && c >')).toEqual(['like a &lt; b &amp;&amp; c &gt; d']);
  });

  it('is case-insensitive', async () => {
    expect(await titles('upper')).toEqual(['LIKE Upper']);
    expect(await titles('LIKE 100 P')).toEqual(['like 100 percent']);
  });
});

describe.skipIf(authStyle === 'none')('C08 items are owner-scoped: another principal’s item is 404', () => {
  let bob: Record<string, string>;
  let aliceItem: { id: string; title: string };

  beforeAll(async () => {
    bob = await authHeaders(server, 'bob');
    aliceItem = (await post({ title: 'alice private', description: 'secret notes' })).json();
  });

  it('bob cannot read, change or delete alice’s item, and does not see it listed', async () => {
    const url = `${ITEMS}/${aliceItem.id}`;
    expect((await request(server, url, { headers: bob })).status).toBe(404);
    expect((await request(server, url, { method: 'PATCH', json: { title: 'pwned' }, headers: bob })).status).toBe(404);
    expect((await request(server, url, { method: 'DELETE', headers: bob })).status).toBe(404);
    const list = (await request(server, `${ITEMS}?limit=100`, { headers: bob })).json();
    expect(list.data.map((i: { id: string }) => i.id)).not.toContain(aliceItem.id);
    expect((await request(server, `${ITEMS}?search=alice%20private`, { headers: bob })).json().total).toBe(0);

    const still = await request(server, url, { headers: alice });
    expect(still.status).toBe(200);
    expect(still.json().title).toBe('alice private');
  });

  it('bob’s own items are his alone', async () => {
    const mine = await post({ title: 'bob item' }, bob);
    expect(mine.status).toBe(201);
    expect((await request(server, `${ITEMS}/${mine.json().id}`, { headers: alice })).status).toBe(404);
  });
});

describe('C08 items need credentials', () => {
  it.skipIf(authStyle === 'none')('401 without them', async () => {
    expect((await request(server, ITEMS)).status).toBe(401);
    expect((await request(server, ITEMS, { method: 'POST', json: { title: 'x' } })).status).toBe(401);
  });
});
