import { randomUUID } from 'node:crypto';
import pino from 'pino';

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

/** BENCH_FLOOR=1 turns a bare server into the floor variant. */
export const FLOOR = process.env.BENCH_FLOOR === '1';

/**
 * The floor (<fw>-bare.mjs with BENCH_FLOOR=1): what any server must do per request to satisfy the checklist's C20 and
 * C14 at all, by hand and nothing else: the generated project's security header list, a request id, and one
 * pino line per request to stdout (a file here). Wrapped around the bare framework's own listener, so the
 * floor ÷ bare ratio is the price of those two controls alone, the ceiling for any compliant stack.
 */
const SECURITY_HEADERS = [
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Referrer-Policy', 'no-referrer'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Permissions-Policy', 'accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()'],
  ['X-XSS-Protection', '0'],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
];

export function withFloor(listener) {
  const log = pino({ base: undefined }, pino.destination({ dest: 1, sync: false, minLength: 4096 }));
  return (req, res) => {
    const id = randomUUID();
    const start = performance.now();
    for (let i = 0; i < SECURITY_HEADERS.length; i++) res.setHeader(SECURITY_HEADERS[i][0], SECURITY_HEADERS[i][1]);
    res.setHeader('X-Request-Id', id);
    res.once('close', () => {
      const q = req.url.indexOf('?');
      log.info({ reqId: id, method: req.method, path: q === -1 ? req.url : req.url.slice(0, q), status: res.statusCode, ms: Math.round((performance.now() - start) * 10) / 10 }, 'request');
    });
    listener(req, res);
  };
}
