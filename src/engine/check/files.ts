import { join } from 'node:path';
import type { Plan } from '../plan.js';
import { readBuffer } from '../project.js';
import { isText } from '../tree.js';
import type { Findings } from './finding.js';

const normalise = (b: Buffer, path: string): string | Buffer => (isText(path) ? b.toString('utf8').replace(/\r\n/g, '\n') : b);

function same(path: string, a: Buffer, b: Buffer): boolean {
  if (a.equals(b)) return true;
  const x = normalise(a, path);
  const y = normalise(b, path);
  return typeof x === 'string' && typeof y === 'string' && x === y;
}

const clip = (line: string | undefined): string => (line === undefined ? '(end of file)' : `\`${line.trim().slice(0, 80)}\``);

/** First differing line, for the finding's location, with what the plan has there and what the file has. */
function firstDifference(actual: string, expected: string): { line: number; detail: string } {
  const x = actual.replace(/\r\n/g, '\n').split('\n');
  const y = expected.replace(/\r\n/g, '\n').split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) {
      const missing = y[i] !== undefined && !x.includes(y[i]!);
      return { line: i + 1, detail: missing ? `${clip(y[i])} is missing` : `expected ${clip(y[i])}, found ${clip(x[i])}` };
    }
  }
  return { line: 1, detail: 'bytes differ' };
}

/**
 * Managed files byte for byte (line endings aside: git may check out CRLF), seeded files present (G6). Returns
 * how many files were looked at.
 */
export function checkPlannedFiles(dir: string, plan: Plan, findings: Findings): number {
  let count = 0;
  for (const [path, entry] of plan.files) {
    count++;
    const disk = readBuffer(join(dir, path));
    if (entry.tier === 'managed') {
      if (disk === undefined) {
        findings.error('G6', path, 1, `${path} is missing; it is managed by the generator.`, 'Run `npx secure-api generate` for any feature, or restore it from git: the generator re-renders it from .secure-api.json.');
      } else if (!same(path, disk, entry.contents)) {
        const { line, detail } = isText(path) ? firstDifference(disk.toString('utf8'), entry.contents.toString('utf8')) : { line: 1, detail: 'bytes differ' };
        findings.error(
          'G6',
          path,
          line,
          `${path} differs from what .secure-api.json produces (line ${line}: ${detail}); managed files must not be edited by hand.`,
          path === 'src/registry.ts'
            ? 'Restore it (git checkout src/registry.ts). Add features with `npx secure-api generate <feature>` and your own modules in src/app-modules.ts.'
            : `Restore it from git; change the answers with \`npx secure-api generate\` instead of editing ${path}.`,
        );
      }
      continue;
    }
    if (entry.tier === 'seeded' && disk === undefined) {
      if (path.startsWith('src/')) {
        findings.error('G6', path, 1, `${path} was generated with the project and is gone; the controls it holds no longer run.`, `Restore it from git, or regenerate the project into a temp folder and copy ${path} back.`);
      } else if (path.startsWith('test/')) {
        findings.error('C29', path, 1, `${path} was generated with the project and is gone: the controls it proves are no longer tested.`, 'Restore the test from git; security tests run with npm test (C29).');
      } else {
        findings.warning('G6', path, 1, `${path} was generated with the project and is missing.`, 'Restore it from git if it was removed by accident.');
      }
    }
  }
  return count;
}
