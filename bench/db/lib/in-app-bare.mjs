// The "same stack" baseline of bench/db/run.mjs: the hand-written bare-driver routes of lib/drivers.mjs
// (prepared statements, same SQL, same JSON) mounted INSIDE the generated server as a project module, at
// /api/v1/bare-items. A request to it crosses exactly what a request to /api/v1/items crosses (the edge:
// headers, host check, rate limit, backpressure; the route runner; the request log line) except the data layer:
// no zod, no Kysely, no sanitising, no response allowlist. Generated ÷ this is the cost of the data layer alone,
// which is what issue 3's target is about; generated ÷ the bare Fastify server is the whole stack (issue 6).
//
// Written into the benchmark's copy of the project only (src/bench-bare-items.ts + src/app-modules.ts), before
// it is built, so it is bundled like every other module.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const IN_APP_BARE_PATH = '/api/v1/bare-items';

const source = `// Benchmark-only module (bench/db/lib/in-app-bare.mjs): bare-driver routes inside the generated stack.
import { randomUUID } from 'node:crypto';
import { HttpError } from './core/errors.js';
import type { Module } from './core/types.js';

interface Bare {
  list(owner: string, limit: number, offset: number): Promise<{ rows: Record<string, unknown>[]; total: number }>;
  insert(row: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

/** lib/drivers.mjs, loaded at run time from the benchmark folder: the same code the bare Fastify server runs. */
interface Drivers {
  openBare(engine: string | undefined, url: string | undefined, options: { poolMax: number }): Promise<Bare>;
  toItem(row: Record<string, unknown>): unknown;
  intParam(value: unknown, fallback: number, min: number, max: number): number | null;
}

const OWNER = 'anonymous';
let drivers: Drivers;
let bare: Bare | undefined;

function page(value: unknown, fallback: number, min: number, max: number): number {
  const n = drivers.intParam(value, fallback, min, max);
  if (n === null) throw new HttpError(400, 'validation_failed', 'Invalid request');
  return n;
}

export const benchBareModule: Module = {
  name: 'bench-bare-items',
  checklist: [],
  async init() {
    // Not bundled (BENCH_DRIVERS_URL is only known at run time).
    drivers = await import(process.env.BENCH_DRIVERS_URL!);
    bare = await drivers.openBare(process.env.BENCH_ENGINE, process.env.DATABASE_URL, { poolMax: 10 });
  },
  async close() {
    await bare?.close();
  },
  routes: () => [
    {
      method: 'GET',
      path: '${IN_APP_BARE_PATH}',
      auth: false,
      handler: async (req) => {
        const limit = page(req.query.limit, 20, 1, 100);
        const offset = page(req.query.offset, 0, 0, 1_000_000);
        const { rows, total } = await bare!.list(OWNER, limit, offset);
        return { body: { data: rows.map(drivers.toItem), limit, offset, total } };
      },
    },
    {
      method: 'POST',
      path: '${IN_APP_BARE_PATH}',
      auth: false,
      body: 'json',
      handler: async (req) => {
        const body = req.body as { title?: unknown; description?: unknown } | null;
        if (typeof body?.title !== 'string' || body.title.length < 1 || body.title.length > 200) {
          throw new HttpError(400, 'validation_failed', 'Invalid request');
        }
        const now = new Date().toISOString();
        const description = typeof body.description === 'string' ? body.description : null;
        const row = { id: randomUUID(), owner_id: OWNER, title: body.title, description, created_at: now, updated_at: now };
        await bare!.insert(row);
        return { status: 201, body: drivers.toItem(row), headers: { Location: \`${IN_APP_BARE_PATH}/\${row.id}\` } };
      },
    },
  ],
};
`;

/** The environment the module needs at run time. */
export function inAppBareEnv(engine) {
  return { BENCH_ENGINE: engine, BENCH_DRIVERS_URL: pathToFileURL(join(import.meta.dirname, 'drivers.mjs')).href };
}

/** Adds the module to a generated project (before its build); run the server with inAppBareEnv(). */
export function addInAppBareModule(projectDir) {
  writeFileSync(join(projectDir, 'src/bench-bare-items.ts'), source);
  const modulesFile = join(projectDir, 'src/app-modules.ts');
  const modules = readFileSync(modulesFile, 'utf8')
    .replace("import type { Module } from './core/types.js';", "import { benchBareModule } from './bench-bare-items.js';\nimport type { Module } from './core/types.js';")
    .replace('export const appModules: Module[] = [];', 'export const appModules: Module[] = [benchBareModule];');
  if (!modules.includes('benchBareModule];')) throw new Error(`could not register the in-app bare module in ${modulesFile}`);
  writeFileSync(modulesFile, modules);
}
