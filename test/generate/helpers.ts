import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Answers } from '../../src/engine/answers.js';
import { writeTree } from '../../src/engine/flush.js';
import { plan } from '../../src/engine/plan.js';
import { listFiles } from '../../src/engine/tree.js';

const made: string[] = [];

/** A project written from its plan into a new temp folder (no install, no git: generate and check read files). */
export function project(answers: Partial<Answers> & Pick<Answers, 'features'>, name = 'demo'): string {
  const dir = mkdtempSync(join(tmpdir(), 'secure-api-test-'));
  made.push(dir);
  const full: Answers = { projectName: name, framework: 'fastify', auth: 'jwt', database: 'sqlite', ...answers };
  writeTree(dir, plan(full).files);
  return dir;
}

export function cleanup(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Every file of a folder: relative path → contents. */
export function snapshot(dir: string): Map<string, string> {
  return new Map(listFiles(dir).filter(([rel]) => !rel.startsWith('.git/')).map(([rel, full]) => [rel, readFileSync(full).toString('latin1')]));
}
