#!/usr/bin/env node
// Top self-time functions of a V8 CPU profile (`node --cpu-prof`, or run.mjs --cpu-prof), and the time per
// package/file, so that "where does the time go" has an answer in numbers.
//
//   node bench/stack/profile-top.mjs <file.cpuprofile> [--top 30]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '30' } } });
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
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
console.log(`${positionals[0]}: ${(total / 1e6).toFixed(2)} s sampled\n\nself time by function`);
for (const [k, t] of sum(fnKey).slice(0, Number(values.top))) console.log(`${pct(t)}  ${k}`);
console.log('\nself time by file / package');
for (const [k, t] of sum(fileKey).slice(0, Number(values.top))) console.log(`${pct(t)}  ${k}`);
