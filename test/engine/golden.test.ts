import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../src/engine/answers.js';
import { plan } from '../../src/engine/plan.js';
import { isText } from '../../src/engine/tree.js';

/**
 * Stored output of one full project per framework (defaults otherwise), so every change shows its effect on
 * generated code in review. One text file per framework: each file of the project under a `=== path (tier)`
 * header (binary files by their SHA-256). Refresh after an intended change with
 * `UPDATE_GOLDEN=1 npx vitest run test/engine/golden.test.ts` and review the diff.
 */
const GOLDEN = resolve(import.meta.dirname, '../golden');

function snapshot(framework: (typeof FRAMEWORKS)[number]): string {
  const p = plan({ projectName: 'golden-api', framework, auth: 'jwt', database: 'sqlite', features: ['waf', 'uploads', 'websocket', 'docs', 'metrics', 'redis'] });
  const parts: string[] = [];
  for (const path of [...p.files.keys()].sort()) {
    const entry = p.files.get(path);
    if (!entry) continue;
    const body = isText(path) ? entry.contents.toString('utf8') : `binary sha256:${createHash('sha256').update(entry.contents).digest('hex')}\n`;
    parts.push(`=== ${path} (${entry.tier}${entry.executable ? ', executable' : ''})\n${body}`);
  }
  return parts.join('\n');
}

describe('golden projects', () => {
  for (const framework of FRAMEWORKS) {
    it(`${framework}: the default project matches test/golden/${framework}.txt`, () => {
      const file = join(GOLDEN, `${framework}.txt`);
      const actual = snapshot(framework);
      if (process.env.UPDATE_GOLDEN) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(file, actual);
      }
      expect(existsSync(file), 'run once with UPDATE_GOLDEN=1').toBe(true);
      expect(actual).toBe(readFileSync(file, 'utf8'));
    });
  }
});
