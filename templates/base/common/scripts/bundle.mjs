#!/usr/bin/env node
// Second step of `npm run build`: bundle the web process (src/server.ts and everything it imports, packages
// included) into dist/server.js, which the Procfile starts, and the few files described below. `tsc` has
// already type-checked and written dist/ (the release phase runs dist/db/migrate.js from there, with the
// migrations beside it).
//
// Why: loading a few hundred small ES modules from node_modules is most of a cold start (Kysely alone is
// ~400 files); one file halves the time from spawn to the first answered request, which is what a Heroku
// restart, a scale-up or a crash loop waits on. Names are kept (whitespace and syntax minified only), so stack
// traces in the logs still name the functions; the .map files beside each output map them back to src/ when
// needed (`node --enable-source-maps dist/server.js`).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

/** Packages that cannot be inlined: native addons (found by their build files) and their optional helpers. */
const ALWAYS_EXTERNAL = ['pg-native', 'bufferutil', 'utf-8-validate'];
function isNative(name) {
  let manifestPath;
  try {
    manifestPath = require.resolve(`${name}/package.json`);
  } catch {
    return false; // no package.json export: a plain JS package
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  return (
    Boolean(manifest.gypfile || manifest.napi || manifest.binary) ||
    existsSync(join(dirname(manifestPath), 'binding.gyp'))
  );
}
const external = [...ALWAYS_EXTERNAL, ...Object.keys(pkg.dependencies ?? {}).filter(isNative)];

/**
 * Builtins are loaded with `require`, not `import`: importing `node:http` as an ES module builds its ESM facade,
 * which evaluates every lazy export and so loads Node's bundled fetch implementation (undici, ~20 ms) that the
 * server never uses. Only data properties are re-exported, for the same reason.
 */
const builtinsByRequire = {
  name: 'builtins-by-require',
  setup(b) {
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    b.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) =>
      args.kind === 'import-statement' && builtins.has(args.path)
        ? { path: args.path, namespace: 'builtin' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => {
      const mod = require(args.path);
      const names = Object.keys(mod).filter(
        (key) =>
          /^[A-Za-z_$][\w$]*$/.test(key) && key !== 'default' && 'value' in Object.getOwnPropertyDescriptor(mod, key),
      );
      return {
        contents: `const m = require(${JSON.stringify(args.path)});\nexport default m;\nexport const { ${names.join(', ')} } = m;\n`,
        loader: 'js',
      };
    });
  },
};

// The web process and each worker thread script (`src/<dir>/<name>.worker.ts`, e.g. the WAF's block list
// builder), in one build: `dist/server.js`, `dist/<name>.worker.js` (the code that starts a worker looks for it
// with `new URL('./<name>.worker.js', import.meta.url)`, which finds it from the bundle and from tsc's
// dist/<dir>/ alike), and beside them, as `dist/<name>-<HASH>.js`, what they share and what is only imported
// dynamically: the app itself (src/main.ts, which server.ts imports after the units' preloads have started) and
// packages loaded on demand (ioredis, only with REDIS_URL). Chunks sit in dist/ itself, not a subfolder, so that
// `import.meta.url` in shared code points where the worker scripts are.
const workers = readdirSync('src', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.worker.ts'));
const entryPoints = [
  { in: 'src/server.ts', out: 'server' },
  ...workers.map((f) => ({ in: join('src', f), out: basename(f, '.ts') })),
];

// The previous build's chunks (tsc never writes a name with an 8-character upper-case hash).
const isChunk = (f) => /-[A-Z0-9]{8}\.js$/.test(f);
for (const f of readdirSync('dist')) if (isChunk(f.replace(/\.map$/, ''))) rmSync(join('dist', f));
await build({
  entryPoints,
  outdir: 'dist',
  splitting: true,
  chunkNames: '[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  external,
  plugins: [builtinsByRequire],
  // CommonJS packages inside an ES module bundle still call `require`.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  sourcemap: 'linked',
  logLevel: 'warning',
});

// V8's code cache for the chunks (what server.ts enables at boot): each is imported once here, which compiles
// it and runs its top level only (defining the app; main.ts starts nothing until server.ts calls start()), and
// Node writes the compiled code to dist/.compile-cache. Portable: entries are keyed by the path relative to
// that folder, so the cache still applies after the platform moves the build (Heroku: /tmp/build_… → /app).
// An optimisation only: if this step fails the server still boots, compiling as it would have without it.
const codeCache = resolve('dist/.compile-cache');
rmSync(codeCache, { recursive: true, force: true });
const chunks = readdirSync('dist')
  .filter(isChunk)
  .map((f) => pathToFileURL(resolve('dist', f)).href);
const warm = `
import { enableCompileCache, flushCompileCache } from 'node:module';
enableCompileCache({ directory: ${JSON.stringify(codeCache)}, portable: true });
for (const chunk of ${JSON.stringify(chunks)}) await import(chunk);
flushCompileCache();
process.exit(0);
`;
try {
  execFileSync(process.execPath, ['--input-type=module', '--eval', warm], {
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
} catch (err) {
  rmSync(codeCache, { recursive: true, force: true });
  console.warn(`bundle: no code cache written (${err.message.split('\n')[0]}); the server compiles at boot instead`);
}
