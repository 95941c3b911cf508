import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AUTH_STYLES, combinationProblem, DATABASES, FEATURES, FRAMEWORKS } from '../../src/engine/answers.js';
import { check } from '../../src/engine/check/index.js';
import { formatSarif } from '../../src/engine/check/format.js';
import { generateFeature } from '../../src/engine/generate.js';
import { generateResource } from '../../src/engine/resource/generate.js';
import { cleanup, project } from '../generate/helpers.js';

afterAll(cleanup, 120_000);

const combos = FRAMEWORKS.flatMap((framework) =>
  DATABASES.flatMap((database) =>
    AUTH_STYLES.filter((auth) => !combinationProblem({ auth, database, features: [] })).map((auth) => ({ framework, auth, database })),
  ),
);

describe('G6 check is clean on a fresh project of every combination', () => {
  it.each(combos.flatMap((c, i) => [
    { ...c, features: [...FEATURES] },
    // A third of the combinations also without any optional feature, a third with every other one.
    ...(i % 3 === 0 ? [{ ...c, features: [] }] : i % 3 === 1 ? [{ ...c, features: FEATURES.filter((_, j) => j % 2 === i % 2) }] : []),
  ]))('$framework/$auth/$database [$features]', async (answers) => {
    const dir = project(answers);
    const report = await check({ dir });
    rmSync(dir, { recursive: true, force: true });
    expect(report.findings).toEqual([]);
    expect(report.errors).toBe(0);
  });
});

describe('G5 G6 a project made by create then extended by generate passes check', () => {
  it('features and a resource added later, committed to git', async () => {
    const dir = project({ framework: 'hono', auth: 'session', database: 'postgres', features: [] });
    for (const feature of FEATURES) generateFeature({ dir, feature });
    await generateResource({ dir, name: 'book_reviews', fields: 'title:string,body:text?,rating:int,score:number?,done:boolean,due:date?' });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, stdio: 'ignore' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'init');
    const report = await check({ dir });
    expect(report.findings).toEqual([]);
  });
});

describe('G5 G6 a feature added after a resource keeps the resource', () => {
  it('the answers file still lists it, app-modules still registers it, and check is clean', async () => {
    const dir = project({ framework: 'fastify', auth: 'jwt', database: 'mysql', features: ['waf'] });
    await generateResource({ dir, name: 'notes', fields: 'text:text,pinned:boolean?' });
    const result = generateFeature({ dir, feature: 'uploads' });
    expect(result.kept).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(dir, '.secure-api.json'), 'utf8'));
    expect(manifest.features).toEqual(['waf', 'uploads']);
    expect(manifest.resources).toEqual([{ name: 'notes', fields: ['text:text', 'pinned:boolean?'] }]);
    expect((await check({ dir })).findings).toEqual([]);
  });
});

describe('G6 SARIF output', () => {
  it('is SARIF 2.1.0 with one rule per checklist ID and a location per finding', () => {
    const sarif = JSON.parse(
      formatSarif({
        dir: '/x',
        errors: 1,
        warnings: 0,
        filesChecked: 1,
        ms: 1,
        findings: [{ severity: 'error', checklistId: 'C20', file: 'src/core/edge/security-headers.ts', line: 7, message: 'm', fix: 'f' }],
      }),
    );
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(['C20']);
    expect(sarif.runs[0].results[0]).toMatchObject({
      ruleId: 'C20',
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'src/core/edge/security-headers.ts' }, region: { startLine: 7 } } }],
    });
  });
});
