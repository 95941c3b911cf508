import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startServer, type TestServer } from './helpers/server.js';

describe('C19 trusted hosts', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ ALLOWED_HOSTS: 'api.example.com,*.apps.example.com,localhost' });
  });
  afterAll(() => server.close());

  it('listed hosts pass, with or without a port', async () => {
    for (const host of ['api.example.com', 'API.example.com:8443', 'x.apps.example.com', 'localhost:3000']) {
      expect((await request(server, '/health', { headers: { host } })).status, host).toBe(200);
    }
  });

  it('an unlisted Host gets 400 JSON with the security headers', async () => {
    for (const host of [
      'evil.example',
      'api.example.com.evil.example',
      'apps.example.com',
      '127.0.0.1',
      'evilapi.example.com',
    ]) {
      const res = await request(server, '/health', { headers: { host } });
      expect(res.status, host).toBe(400);
      expect(res.json().error.code).toBe('invalid_host');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });
});
