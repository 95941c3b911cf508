import type { Unit } from '../engine/unit.js';

/** Always present (C30): `npm run loadtest -- --url <url> --duration <s> [--token <t>]` with autocannon. */
export const unit: Unit = {
  id: 'loadtest',
  title: 'Load test script',
  checklist: ['C30'],
  devDependencies: ['autocannon'],
  scripts: { loadtest: 'node scripts/loadtest.mjs' },
};
