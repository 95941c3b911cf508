import { describe, expect, it } from 'vitest';
import { coreTestRoutes, probe } from './helpers/core-routes.js';
import { request, startServer } from './helpers/server.js';

describe('C35 graceful shutdown', () => {
  it('a request in flight when close() starts completes; new connections are refused', async () => {
    const server = await startServer({}, { extraRoutes: coreTestRoutes });
    const { started, finished } = probe;
    const inFlight = request(server, '/api/v1/slow?ms=500');
    // Shut down only once the handler is really running (a busy runner may take a while to accept).
    while (probe.started === started) await new Promise((r) => setTimeout(r, 10));
    const closing = server.close();
    expect(server.app.shuttingDown).toBe(true);
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ waited: 500 });
    expect(probe.finished).toBe(finished + 1);
    await closing;
    await expect(request(server, '/health', { timeoutMs: 1000 })).rejects.toThrow();
  });

  it('close() is idempotent and bounded', async () => {
    const server = await startServer();
    const started = Date.now();
    await Promise.all([server.close(), server.close()]);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
