import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startServer, type TestServer } from './helpers/server.js';

describe('C33 health checks', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('GET /health answers exactly {"status":"ok"}', async () => {
    const res = await request(server, '/health');
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"status":"ok"}');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  it('GET /ready answers 200 when every module is ready', async () => {
    const res = await request(server, '/ready');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /ready answers 503 with a generic body when a module is not ready', async () => {
    const modules = [...(server.app.modules ?? [])];
    const original = server.app.modules;
    server.app.modules = [
      ...modules,
      { name: 'broken', checklist: [], ready: async () => Promise.reject(new Error('db at 10.0.0.5 refused')) },
      { name: 'hung', checklist: [], ready: () => new Promise<void>(() => undefined) },
    ];
    try {
      const started = Date.now();
      const res = await request(server, '/ready');
      expect(Date.now() - started).toBeLessThan(3000);
      expect(res.status).toBe(503);
      expect(res.json().error.code).toBe('unavailable');
      expect(res.text).not.toContain('10.0.0.5');
      expect(res.headers['retry-after']).toBeDefined();
    } finally {
      server.app.modules = original;
    }
  });
});
