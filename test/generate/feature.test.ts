import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Answers, FEATURES } from '../../src/engine/answers.js';
import { generateFeature } from '../../src/engine/generate.js';
import type { FeatureId } from '../../src/engine/unit.js';
import { cleanup, project, snapshot } from './helpers.js';

afterAll(cleanup, 120_000);

const frameworks: Answers['framework'][] = ['fastify', 'express', 'hono'];

describe('G5 create with F equals create without F then generate F', () => {
  // Every optional feature, on each framework in turn and on different auth/database choices.
  const cases = FEATURES.flatMap((feature, i) => {
    const framework = frameworks[i % 3]!;
    const base: Omit<Answers, 'projectName' | 'features'> =
      i % 2 === 0 ? { framework, auth: 'jwt', database: 'sqlite' } : { framework, auth: 'api-key', database: 'none' };
    return [
      { feature, base, others: FEATURES.filter((f) => f !== feature) },
      { feature, base: { ...base, framework: frameworks[(i + 1) % 3]! }, others: [] as FeatureId[] },
    ];
  });

  it.each(cases)('$feature on $base.framework/$base.auth/$base.database with [$others]', ({ feature, base, others }) => {
    const withFeature = project({ ...base, features: [...others, feature] });
    const later = project({ ...base, features: others });
    const result = generateFeature({ dir: later, feature });
    expect(result.alreadyPresent).toBe(false);
    expect(result.kept).toEqual([]);
    const expected = snapshot(withFeature);
    const actual = snapshot(later);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, text] of expected) expect(actual.get(path), path).toBe(text);

    // Twice changes nothing and says so.
    const again = generateFeature({ dir: later, feature });
    expect(again.alreadyPresent).toBe(true);
    expect(snapshot(later)).toEqual(expected);
  });
});

describe('G5 generate keeps what the user wrote', () => {
  it('merges package.json and .env.example, keeps edited files, replaces pristine ones', () => {
    const dir = project({ features: ['waf'] });
    const pkgPath = join(dir, 'package.json');
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
    pkg.dependencies['left-pad'] = '1.3.0';
    pkg.dependencies.zod = '4.0.0';
    pkg.scripts.mine = 'echo mine';
    writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
    writeFileSync(join(dir, '.env.example'), `${readFileSync(join(dir, '.env.example'), 'utf8')}\n# mine\nMY_SETTING=1\n`);
    writeFileSync(join(dir, 'README.md'), '# My own readme\n');
    const appJson = readFileSync(join(dir, 'app.json'), 'utf8');

    const result = generateFeature({ dir, feature: 'redis' });
    expect(result.needsInstall).toBe(true);
    const merged = JSON.parse(readFileSync(pkgPath, 'utf8'));
    expect(merged.dependencies['left-pad']).toBe('1.3.0');
    expect(merged.dependencies.zod).toBe('4.0.0');
    expect(merged.dependencies.ioredis).toMatch(/^\d+\.\d+\.\d+$/);
    expect(merged.scripts.mine).toBe('echo mine');
    const env = readFileSync(join(dir, '.env.example'), 'utf8');
    expect(env).toContain('MY_SETTING=1');
    expect(env).toMatch(/^REDIS_URL=/m);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('# My own readme\n');
    expect(result.kept.map((k) => k.path)).toEqual(['README.md']);
    expect(readFileSync(join(dir, 'app.json'), 'utf8')).not.toBe(appJson); // pristine: replaced (heroku-redis add-on)
    expect(readFileSync(join(dir, 'src/registry.ts'), 'utf8')).toContain('redis');
  });

  it('keeps CRLF line endings of a pristine file it replaces', () => {
    const dir = project({ features: [] });
    const readme = join(dir, 'README.md');
    writeFileSync(readme, readFileSync(readme, 'utf8').replace(/\n/g, '\r\n'));
    generateFeature({ dir, feature: 'docs' });
    const after = readFileSync(readme, 'utf8');
    expect(after).toContain('\r\n');
    expect(after.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('--dry-run prints a unified diff and writes nothing', () => {
    const dir = project({ features: [] });
    const before = snapshot(dir);
    const result = generateFeature({ dir, feature: 'metrics', dryRun: true });
    expect(result.diff).toMatch(/^--- a\/src\/registry\.ts\n\+\+\+ b\/src\/registry\.ts\n@@ /m);
    expect(result.diff).toMatch(/^\+  metrics\.module,$/m);
    expect(result.diff).toMatch(/^--- \/dev\/null\n\+\+\+ b\/src\/metrics\//m);
    expect(snapshot(dir)).toEqual(before);
  });

  it('warns about a dirty git tree, and not about a clean one', () => {
    const dir = project({ features: [] });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, stdio: 'ignore' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'init');
    expect(generateFeature({ dir, feature: 'docs', dryRun: true }).dirty).toBe(false);
    writeFileSync(join(dir, 'notes.txt'), 'wip\n');
    expect(generateFeature({ dir, feature: 'docs', dryRun: true }).dirty).toBe(true);
  });

  it('re-creates nothing the user deleted when the new plan does not change it', () => {
    const dir = project({ features: [] });
    rmSync(join(dir, 'biome.json'));
    const result = generateFeature({ dir, feature: 'docs' });
    expect(result.kept).toContainEqual({ path: 'biome.json', reason: 'deleted by you; not re-created' });
  });
});

describe('G5 generate refuses clearly', () => {
  it('names both sides of a conflict', () => {
    const dir = project({ features: [] });
    const manifest = JSON.parse(readFileSync(join(dir, '.secure-api.json'), 'utf8'));
    manifest.resources = [{ name: 'files', fields: ['title:string'] }];
    writeFileSync(join(dir, '.secure-api.json'), JSON.stringify(manifest));
    expect(() => generateFeature({ dir, feature: 'uploads' })).toThrow(/uploads.*resource files/);
  });

  it('an unknown feature is a usage error listing the features', () => {
    const dir = project({ features: [] });
    expect(() => generateFeature({ dir, feature: 'graphql' })).toThrow(/Unknown feature "graphql".*waf, uploads/);
  });

  it('outside a project it says where to run it', () => {
    expect(() => generateFeature({ dir: '/tmp', feature: 'docs' })).toThrow(/No \.secure-api\.json/);
  });
});
