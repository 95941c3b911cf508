import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreTestRoutes } from './helpers/core-routes.js';
import { request, startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ BODY_LIMIT_BYTES: '2048' }, { extraRoutes: coreTestRoutes });
});
afterAll(() => server.close());

describe('C03 input validation', () => {
  it('a valid body passes', async () => {
    const res = await request(server, '/api/v1/echo', { method: 'POST', json: { name: 'Ada', age: 36 } });
    expect(res.status).toBe(201);
    expect(res.json()).toEqual({ name: 'Ada', age: 36 });
  });

  it('malformed JSON is 400 bad_request, never 500', async () => {
    const res = await request(server, '/api/v1/echo', {
      method: 'POST',
      body: '{"name": "Ada", ',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.json().error.code).toBe('bad_request');
    expect(res.json().error.requestId).toBe(res.headers['x-request-id']);
  });

  it('wrong types are 400 validation_failed with the fields', async () => {
    const res = await request(server, '/api/v1/echo', { method: 'POST', json: { name: 42, age: 'old' } });
    expect(res.status).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('validation_failed');
    expect(error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['body.age', 'body.name']);
  });

  it('unknown body fields are refused (no mass assignment)', async () => {
    const res = await request(server, '/api/v1/echo', { method: 'POST', json: { name: 'Ada', age: 3, role: 'admin' } });
    expect(res.status).toBe(400);
    expect(res.json().error.fields).toContainEqual({ path: 'body.role', message: 'Unknown field' });
  });

  it('oversize strings, a non-object body, bad query and bad params are 400 with fields', async () => {
    const long = await request(server, '/api/v1/echo', { method: 'POST', json: { name: 'x'.repeat(51), age: 1 } });
    expect(long.status).toBe(400);
    expect(long.json().error.fields[0].path).toBe('body.name');
    const array = await request(server, '/api/v1/echo', { method: 'POST', json: [1, 2] });
    expect(array.status).toBe(400);
    const query = await request(server, '/api/v1/echo?page=0&debug=1', { method: 'POST', json: { name: 'a', age: 1 } });
    expect(query.status).toBe(400);
    expect(
      query
        .json()
        .error.fields.map((f: { path: string }) => f.path)
        .sort(),
    ).toEqual(['query.debug', 'query.page']);
    const params = await request(server, '/api/v1/things/abc');
    expect(params.status).toBe(400);
    expect(params.json().error.fields[0].path).toBe('params.id');
    expect((await request(server, '/api/v1/things/12')).json()).toEqual({ id: '12' });
  });

  it('a missing body on a JSON route is 400, not 500', async () => {
    const res = await request(server, '/api/v1/echo', { method: 'POST' });
    expect(res.status).toBe(400);
  });

  it('a body of the wrong content type is 415', async () => {
    const res = await request(server, '/api/v1/echo', {
      method: 'POST',
      body: 'name=Ada&age=3',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(415);
    expect(res.json().error.code).toBe('unsupported_media_type');
    const form = await request(server, '/api/v1/echo', { method: 'POST', form: { name: 'Ada' } });
    expect(form.status).toBe(415);
  });

  it('a form-enabled route accepts urlencoded bodies and validates them the same way', async () => {
    const ok = await request(server, '/api/v1/login-like', {
      method: 'POST',
      form: { username: 'a@b.c', password: 'x' },
    });
    expect(ok.status).toBe(204);
    const extra = await request(server, '/api/v1/login-like', {
      method: 'POST',
      form: { username: 'd@b.c', password: 'x', admin: 'true' },
    });
    expect(extra.status).toBe(400);
  });

  it('JSON with __proto__ is refused, never merged into objects', async () => {
    const res = await request(server, '/api/v1/echo', {
      method: 'POST',
      body: '{"name":"a","age":1,"__proto__":{"polluted":true}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('C13 API versioning', () => {
  it('unversioned API paths are 404 JSON; the versioned one answers', async () => {
    expect((await request(server, '/api/v1/things/1')).status).toBe(200);
    for (const path of ['/api/things/1', '/things/1', '/api/v2/things/1', '/api']) {
      const res = await request(server, path);
      expect(res.status, path).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
  });
});

describe('C27 body size limit', () => {
  it('a body over BODY_LIMIT_BYTES is 413 payload_too_large', async () => {
    const res = await request(server, '/api/v1/echo', {
      method: 'POST',
      json: { name: 'a', age: 1, pad: 'x'.repeat(4096) },
    });
    expect(res.status).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
  });

  it('a chunked body over the limit is 413 too', async () => {
    const res = await request(server, '/api/v1/echo', {
      method: 'POST',
      body: JSON.stringify({ name: 'a', age: 1, pad: 'x'.repeat(4096) }),
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    });
    expect(res.status).toBe(413);
  });
});
