/**
 * C32 metrics: /metrics is Prometheus text behind a bearer token (401 without it, absent without a token
 * configured), and it carries request counts and durations, event-loop delay and memory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FreshDatabase, freshDatabase } from './helpers/database.js';
import { request, startServer, type TestServer } from './helpers/server.js';

const TOKEN = 'test-metrics-token-0123456789abcdef';
let db: FreshDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('C32 metrics behind METRICS_TOKEN', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ ...db.env, METRICS_TOKEN: TOKEN });
  });
  afterAll(() => server?.close());

  it('answers 401 without the token, with a wrong one, or with another scheme', async () => {
    for (const authorization of [
      undefined,
      `Bearer ${TOKEN}x`,
      'Bearer ',
      `Basic ${TOKEN}`,
      TOKEN,
      `Bearer ${TOKEN.slice(0, -1)}`,
    ]) {
      const res = await request(server, '/metrics', { headers: authorization ? { authorization } : {} });
      expect(res.status, String(authorization)).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.text).not.toContain('http_requests_total');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    expect(server.logs.join('\n')).not.toContain(TOKEN);
  });

  it('serves Prometheus text with request, latency, event-loop and memory metrics', async () => {
    await request(server, '/health');
    await request(server, '/nope');
    const res = await request(server, '/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    expect(text).toMatch(/^# TYPE http_requests_total counter$/m);
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/health",status="200"\} \d+$/m);
    expect(text).toMatch(/status="404"/);
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{.*le="\+Inf"\} \d+$/m);
    expect(text).toMatch(/^nodejs_eventloop_delay_p99_seconds [\d.e+-]+$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
    expect(text).toMatch(/^nodejs_heap_used_bytes \d+$/m);
    // Every sample line is `name{labels} number`: nothing else leaks into the exposition.
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? (-?[\d.]+(e[+-]?\d+)?|NaN|\+Inf|-Inf)$/);
    }
  });

  it('counts refused requests (401s) too', async () => {
    await request(server, '/metrics');
    const text = (await request(server, '/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })).text;
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/metrics",status="401"\} [1-9]\d*$/m);
  });
});

describe('C32 metrics are off without METRICS_TOKEN', () => {
  it('has no /metrics route (404) when METRICS_TOKEN is unset', async () => {
    const server = await startServer({ ...db.env });
    try {
      expect((await request(server, '/metrics')).status).toBe(404);
      expect((await request(server, '/metrics', { headers: { authorization: 'Bearer ' } })).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('refuses a short METRICS_TOKEN at boot', async () => {
    await expect(startServer({ ...db.env, METRICS_TOKEN: 'short' })).rejects.toThrow(/METRICS_TOKEN/);
  });
});
