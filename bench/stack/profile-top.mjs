#!/usr/bin/env node
// Top self-time functions of a V8 CPU profile (`node --cpu-prof`, or run.mjs --cpu-prof), and the time per
// package/file, so that "where does the time go" has an answer in numbers.
//
//   node bench/stack/profile-top.mjs <file.cpuprofile> [--top 30] [--callers functionName] [--inclusive urlPart]
//                                    [--share fnA,fnB]   (share of the busy time spent inside those functions)
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { indexProfile, shareInside } from './profile-share.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '30' }, callers: { type: 'string' }, inclusive: { type: 'string' }, share: { type: 'string' } } });
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const { byId, parent } = indexProfile(profile);
const self = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
// Percentages of the busy time: samples in (idle) are the process waiting for the load generator or another cell.
const idleIds = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
for (const id of idleIds) self.delete(id);
const total = [...self.values()].reduce((a, b) => a + b, 0);

const fnKey = (n) => {
  const cf = n.callFrame;
  const url = cf.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, 'nm:').replace(/.*\/(dist|servers)\//, '$1/');
  return `${cf.functionName || '(anonymous)'} ${url}:${cf.lineNumber + 1}`;
};
const fileKey = (n) => {
  const url = n.callFrame.url;
  if (!url) return n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : '(native)';
  const nm = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (nm) return `pkg ${nm[1]}`;
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '').replace(/.*\/(dist|servers)\//, '$1/');
};
const sum = (keyOf) => {
  const m = new Map();
  for (const [id, t] of self) {
    const k = keyOf(byId.get(id));
    m.set(k, (m.get(k) ?? 0) + t);
  }
  return [...m].sort((a, b) => b[1] - a[1]);
};
const pct = (t) => `${((t / total) * 100).toFixed(1).padStart(5)} %`;
console.log(`${positionals[0]}: ${(total / 1e6).toFixed(2)} s busy (idle excluded)\n\nself time by function`);
for (const [k, t] of sum(fnKey).slice(0, Number(values.top))) console.log(`${pct(t)}  ${k}`);
console.log('\nself time by file / package');
for (const [k, t] of sum(fileKey).slice(0, Number(values.top))) console.log(`${pct(t)}  ${k}`);

if (values.callers) {
  // Who calls a function: its self time by the chain of the four frames above it.
  const chains = new Map();
  for (const [id, t] of self) {
    const n = byId.get(id);
    if (n.callFrame.functionName !== values.callers) continue;
    const chain = [];
    for (let p = parent.get(id), i = 0; p !== undefined && i < 4; p = parent.get(p), i++) chain.push(fnKey(byId.get(p)));
    const k = chain.join('  <  ');
    chains.set(k, (chains.get(k) ?? 0) + t);
  }
  console.log(`\ncallers of ${values.callers}`);
  for (const [k, t] of [...chains].sort((a, b) => b[1] - a[1]).slice(0, 10)) console.log(`${pct(t)}  ${k}`);
}

if (values.inclusive) {
  // Inclusive (self + callees) time of the functions whose file contains the given text, e.g. `dist/`:
  // what each step of the request path costs with everything it calls. Recursion is counted once per stack.
  const total = new Map();
  const walk = (id, onStack) => {
    const n = byId.get(id);
    let t = self.get(id) ?? 0;
    for (const c of n.children ?? []) t += walk(c, onStack);
    const k = fnKey(n);
    if (n.callFrame.url.includes(values.inclusive) && !onStack.has(k)) total.set(k, (total.get(k) ?? 0) + t);
    return t;
  };
  // A simple pass: onStack is not tracked per path (rare recursion in request code is accepted).
  walk(profile.nodes[0].id, new Set());
  console.log(`\ninclusive time of functions in files matching "${values.inclusive}"`);
  for (const [k, t] of [...total].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`${pct(t)}  ${k}`);
}

if (values.share) {
  const { share, busyUs, byName } = shareInside(profile, values.share.split(','), { fromFirst: true });
  const of = (t) => `${((t / busyUs) * 100).toFixed(1).padStart(5)} %`;
  console.log(`\nshare of the busy time (from the first sample inside them) spent inside ${values.share}: ${(share * 100).toFixed(1)} %`);
  for (const [k, t] of byName) console.log(`${of(t)}  ${k}`);
}
