import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checklist } from '../../src/checklist.js';
import { FRAMEWORKS } from '../../src/engine/answers.js';
import { listFiles, TEMPLATES_DIR } from '../../src/engine/tree.js';
import { units } from '../../src/units/index.js';
import { versions } from '../../src/versions.js';

/** The unit's settings declarations: its `module.ts` and `settings.ts` files. */
function unitSources(id: string): string {
  return ['common', ...FRAMEWORKS]
    .flatMap((dir) => listFiles(join(TEMPLATES_DIR, 'units', id, dir)))
    .filter(([rel]) => rel.startsWith('src/') && /(module|settings|dialect)\.ts$/.test(rel))
    .map(([, full]) => readFileSync(full, 'utf8'))
    .join('\n');
}

const ALL_SOURCES = listFiles(TEMPLATES_DIR)
  .filter(([rel]) => rel.includes('/src/'))
  .map(([, full]) => readFileSync(full, 'utf8'))
  .join('\n');

const ALL_DECLARED = Object.values(units).flatMap((u) => (u.env ?? []).map((v) => v.name));

describe('unit declarations', () => {
  for (const unit of Object.values(units)) {
    describe(unit.id, () => {
      it('has templates, and its module file exists', () => {
        expect(existsSync(join(TEMPLATES_DIR, 'units', unit.id)) || unit.id === 'core', 'templates folder').toBe(true);
        if (unit.module) {
          const base = unit.id === 'core' ? join(TEMPLATES_DIR, 'base/common') : join(TEMPLATES_DIR, 'units', unit.id, 'common');
          expect(existsSync(join(base, 'src', `${unit.module}.ts`)), `${unit.module}.ts`).toBe(true);
        }
      });

      it('names real checklist IDs and pinned packages only', () => {
        for (const id of unit.checklist) expect(Object.keys(checklist), id).toContain(id);
        for (const dep of [...(unit.dependencies ?? []), ...(unit.devDependencies ?? [])]) expect(versions, dep).toHaveProperty(dep);
      });

      it('declares every environment variable its settings read, and reads every one it declares', () => {
        const source = unit.id === 'core' ? readFileSync(join(TEMPLATES_DIR, 'base/common/src/core/module.ts'), 'utf8') : unitSources(unit.id);
        const read = new Set([...source.matchAll(/^\s+([A-Z][A-Z0-9_]{2,}):\s/gm)].map((m) => m[1] as string));
        const declared = new Set((unit.env ?? []).map((v) => v.name));
        // Declared here, or by the unit that always comes with this one (a database engine declares DATABASE_URL).
        if (unit.module) for (const name of read) expect(ALL_DECLARED, `${name} is read but not declared`).toContain(name);
        // A variable may be read by a unit this one builds on (db engines declare what the database unit reads).
        for (const name of declared) expect(ALL_SOURCES, `${name} is declared but never read`).toContain(name);
      });

      it('declares no secret with an example value', () => {
        for (const v of unit.env ?? []) if (v.secret) expect(v.example, v.name).toBe('');
      });
    });
  }
});
