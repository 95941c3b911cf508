import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { coreTestRoutes, probe } from './helpers/core-routes.js';
import { request, startServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('C15 timeouts', () => {
  it('a handler slower than REQUEST_TIMEOUT_MS gets 504 and its signal is aborted', async () => {
    server = await startServer({ REQUEST_TIMEOUT_MS: '300' }, { extraRoutes: coreTestRoutes });
    const before = probe.aborted;
    const started = Date.now();
    const res = await request(server, '/api/v1/slow?ms=5000');
    expect(res.status).toBe(504);
    expect(res.json().error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    await new Promise((r) => setTimeout(r, 20));
    expect(probe.aborted).toBe(before + 1);
  });

  it('a client that trickles its headers is cut off after HEADERS_TIMEOUT_MS', async () => {
    server = await startServer({ HEADERS_TIMEOUT_MS: '500', REQUEST_BODY_TIMEOUT_MS: '1000' });
    const socket = net.connect(server.port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString();
    });
    const started = Date.now();
    socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n');
    // One header line every 100 ms, never finishing: a slowloris client.
    const trickle = setInterval(() => {
      if (!socket.destroyed) socket.write(`X-Slow-${Date.now()}: 1\r\n`);
    }, 100);
    await new Promise<void>((resolve) => socket.on('close', () => resolve()));
    clearInterval(trickle);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(400);
    expect(elapsed).toBeLessThan(3000);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(received).toMatch(/X-Content-Type-Options: nosniff/i);
  });

  it('a client that sends the body too slowly is cut off after REQUEST_BODY_TIMEOUT_MS', async () => {
    server = await startServer(
      { HEADERS_TIMEOUT_MS: '300', REQUEST_BODY_TIMEOUT_MS: '800' },
      { extraRoutes: coreTestRoutes },
    );
    const socket = net.connect(server.port, '127.0.0.1');
    socket.on('data', () => undefined);
    const started = Date.now();
    socket.write(
      'POST /api/v1/echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
    );
    const trickle = setInterval(() => {
      if (!socket.destroyed) socket.write(' ');
    }, 100);
    await new Promise<void>((resolve) => socket.on('close', () => resolve()));
    clearInterval(trickle);
    expect(Date.now() - started).toBeLessThan(4000);
  });
});
