/**
 * C30: `npm run loadtest` runs against a local server and prints throughput and latency percentiles for
 * /health and, given credentials, the authenticated /api/v1/items.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders } from './helpers/auth.js';
import { type FreshDatabase, freshDatabase } from './helpers/database.js';
import { startServer, type TestServer } from './helpers/server.js';

const run = promisify(execFile);
const script = 'scripts/loadtest.mjs';

describe('C30 load test script', () => {
  let db: FreshDatabase;
  let server: TestServer;
  beforeAll(async () => {
    db = await freshDatabase();
    // Limits off for the measurement (they would answer 429 or 503 by design; see the script's notes): the rate
    // limit, the WAF challenge, and the WAF's hard per-instance threshold (5000 req/s by default, which a fast
    // machine passes with two connections to /health).
    server = await startServer({
      ...db.env,
      RATE_LIMIT_PER_MINUTE: '1000000',
      WAF_CHALLENGE: 'off',
      WAF_HARD_THRESHOLD: '0',
      LOG_LEVEL: 'warn',
    });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('prints requests per second and p50/p99 latency for /health', async () => {
    const { stdout } = await run(process.execPath, [
      script,
      '--url',
      server.url,
      '--duration',
      '1',
      '--connections',
      '2',
    ]);
    expect(stdout).toContain('GET /health');
    expect(stdout).toMatch(/req\/s/);
    expect(stdout).toMatch(/p50 ms/);
    expect(stdout).toMatch(/p99 ms/);
  });

  it('loads the authenticated items route when given credentials, all answered 2xx', async (ctx) => {
    if (!server.app.modules?.some((m) => m.name === 'items')) return ctx.skip();
    const headers = await authHeaders(server, 'alice');
    const args = headers.authorization
      ? ['--token', headers.authorization.replace(/^Bearer /, '')]
      : headers['x-api-key']
        ? ['--api-key', headers['x-api-key']]
        : [];
    const { stdout } = await run(process.execPath, [
      script,
      '--url',
      server.url,
      '--duration',
      '1',
      '--connections',
      '2',
      '--json',
      ...args,
    ]);
    const rows = JSON.parse(stdout) as Array<{ target: string; '2xx': number; non2xx: number; 'p99 ms': number }>;
    const items = rows.find((r) => r.target === 'GET /api/v1/items');
    if (args.length > 0) {
      expect(items).toBeDefined();
      expect(items!['2xx']).toBeGreaterThan(0);
      expect(items!.non2xx).toBe(0);
    }
    expect(rows[0]!['p99 ms']).toBeGreaterThanOrEqual(0);
  });

  it('refuses a bad URL with exit code 2', async () => {
    await expect(run(process.execPath, [script, '--url', 'file:///etc/passwd'])).rejects.toMatchObject({ code: 2 });
  });
});
