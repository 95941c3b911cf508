#!/usr/bin/env node
// Contributor tool: assemble a generated project from the working tree's templates into a folder, with
// node_modules linked to the shared, pre-installed dependency set (.cache/app-deps), so a change to a
// template can be type-checked and tested in seconds. Run `npm run build` first (it uses dist/).
//
//   node scripts/dev-project.mjs --out /tmp/p-fastify --framework fastify --auth jwt --database sqlite --features all
//   then: cd /tmp/p-fastify && PATH=$NODE24/bin:$PATH npx tsc --noEmit -p . && npx vitest run
import { existsSync, lstatSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    framework: { type: 'string', default: 'fastify' },
    auth: { type: 'string', default: 'jwt' },
    database: { type: 'string', default: 'sqlite' },
    features: { type: 'string', default: 'all' },
    help: { type: 'boolean' },
  },
});
if (values.help || !values.out) {
  console.log('node scripts/dev-project.mjs --out <dir> [--framework fastify|express|hono] [--auth jwt|session|api-key|none] [--database sqlite|postgres|mysql|none] [--features all|none|waf,docs,...]');
  process.exit(values.help ? 0 : 2);
}
const root = resolve(import.meta.dirname, '..');
const { plan } = await import(join(root, 'dist/engine/plan.js'));
const { parseFeatures } = await import(join(root, 'dist/engine/answers.js'));
const { writeTree } = await import(join(root, 'dist/engine/flush.js'));
const out = resolve(values.out);
const p = plan({
  projectName: out.split('/').pop().toLowerCase().replace(/[^a-z0-9._-]/g, '-'),
  framework: values.framework,
  auth: values.auth,
  database: values.database,
  features: parseFeatures(values.features),
});
mkdirSync(out, { recursive: true });
// Start clean but keep node_modules (a link) so repeated runs are fast.
for (const entry of readdirSync(out)) if (entry !== 'node_modules') rmSync(join(out, entry), { recursive: true, force: true });
writeTree(out, p.files);
const nm = join(out, 'node_modules');
if (!existsSync(nm) && !(() => { try { return lstatSync(nm).isSymbolicLink(); } catch { return false; } })()) {
  symlinkSync(join(root, '.cache/app-deps/node_modules'), nm);
}
console.log(`${out}: ${p.files.size} files, units ${p.units.map((u) => u.id).join(', ')}`);
