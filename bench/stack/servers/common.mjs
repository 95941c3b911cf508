// Shared by the bare and naive servers: the same tiny payloads and the same trivial bearer check, so the
// comparison with the generated project (which verifies a real JWT and reads SQLite) errs in the peers' favour.
export const PORT = Number(process.env.PORT ?? 3000);
export const TOKEN = process.env.BENCH_TOKEN ?? 'bench-token';
export const RATE_LIMIT = Number(process.env.RATE_LIMIT_PER_MINUTE ?? 100);
export const CORS_ORIGINS = ['https://app.example.com'];
export const HEALTH = { status: 'ok' };

const now = new Date(0).toISOString();
/** What the generated `GET /api/v1/items` answers for three items: `{data, limit, offset, total}`. */
export const ITEMS = {
  data: [1, 2, 3].map((n) => ({
    id: `00000000-0000-4000-8000-00000000000${n}`,
    title: `Item ${n}`,
    description: `<p>Description ${n}</p>`,
    createdAt: now,
    updatedAt: now,
  })),
  limit: 20,
  offset: 0,
  total: 3,
};

const expected = `Bearer ${TOKEN}`;
/** A trivial bearer check: a string comparison (no signature, no database). */
export const authorized = (header) => header === expected;
export const UNAUTHORIZED = { error: { code: 'unauthorized', message: 'Authentication required' } };

export function listening(name) {
  // One line so the runner knows the port is bound (it also polls /health).
  process.stdout.write(`${JSON.stringify({ msg: 'listening', name, port: PORT, pid: process.pid })}\n`);
}

// Exit normally on SIGTERM so that `node --cpu-prof` (run.mjs --cpu-prof) writes its profile.
process.once('SIGTERM', () => process.exit(0));
