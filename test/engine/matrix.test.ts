import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Answers, AUTH_STYLES, combinationProblem, DATABASES, FEATURES, FRAMEWORKS } from '../../src/engine/answers.js';
import { plan } from '../../src/engine/plan.js';
import type { FeatureId } from '../../src/engine/unit.js';
import { versions } from '../../src/versions.js';

/** The oracle, written independently of combinationProblem: what can be generated. */
function shouldWork(a: Pick<Answers, 'auth' | 'database'>): boolean {
  const needsUsers = a.auth === 'jwt' || a.auth === 'session';
  return !(needsUsers && a.database === 'none');
}

const featureSets: FeatureId[][] = [[], [...FEATURES], ...FEATURES.map((f) => [f]), ...FEATURES.map((f) => FEATURES.filter((g) => g !== f))];

/** Every relative import in the project's TypeScript resolves to a file the plan writes. */
function unresolvedImports(files: Map<string, { contents: Buffer }>): string[] {
  const problems: string[] = [];
  for (const [path, entry] of files) {
    if (!/\.(ts|mts)$/.test(path) || path.endsWith('.d.ts')) continue;
    const text = entry.contents.toString('utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const spec = m[1] as string;
      const target = posix.normalize(posix.join(posix.dirname(path), spec));
      const candidates = [target, target.replace(/\.js$/, '.ts'), target.replace(/\.mjs$/, '.mts'), `${target}.ts`, `${target}/index.ts`];
      if (!candidates.some((c) => files.has(c))) problems.push(`${path} imports ${spec}`);
    }
  }
  return problems;
}

describe('G3 the full option matrix, planned in memory', () => {
  for (const framework of FRAMEWORKS) {
    for (const auth of AUTH_STYLES) {
      for (const database of DATABASES) {
        it(`${framework} × ${auth} × ${database}`, () => {
          expect(combinationProblem({ auth, database, features: [] }) === undefined).toBe(shouldWork({ auth, database }));
          if (!shouldWork({ auth, database })) {
            expect(() => plan({ projectName: 'x', framework, auth, database, features: [] })).toThrow(/cannot run with --database none/);
            return;
          }
          for (const features of featureSets) {
            const p = plan({ projectName: 'matrix-app', framework, auth, database, features });
            const files = p.files;
            const label = `${framework}/${auth}/${database}/[${features.join(',')}]`;
            // Wiring: every module the registry imports exists, and every relative import resolves.
            expect(unresolvedImports(files), label).toEqual([]);
            // C26: exact pins from the version map only.
            for (const [name, version] of Object.entries(p.dependencies)) {
              expect(versions[name as keyof typeof versions], `${label} ${name}`).toBe(version);
            }
            // C24: release phase exactly when there is a database to migrate.
            const procfile = files.get('Procfile')?.contents.toString() ?? '';
            expect(procfile.startsWith('web: node dist/server.js\n'), label).toBe(true);
            expect(procfile.includes('release: node dist/db/migrate.js'), label).toBe(database !== 'none');
            // C22: no secret values in .env.example or the answers file.
            const envExample = files.get('.env.example')?.contents.toString() ?? '';
            for (const line of envExample.split('\n')) {
              if (/^\w*(SECRET|TOKEN|PASSWORD)=/.test(line)) expect(line, label).toMatch(/=$/);
            }
            const manifest = JSON.parse(files.get('.secure-api.json')?.contents.toString() ?? '{}');
            expect(Object.keys(manifest).sort(), label).toEqual(['$comment', 'command', 'database', 'features', 'framework', 'auth', 'generatorVersion', 'projectName'].sort());
            // The chosen database and auth style, and only those, are in.
            const ids = p.units.map((u) => u.id);
            expect(ids, label).toContain(`auth-${auth}`);
            expect(ids.filter((id) => /^auth-(jwt|session|api-key|none)$/.test(id)), label).toEqual([`auth-${auth}`]);
            expect(ids.includes('items'), label).toBe(database !== 'none');
            for (const f of FEATURES) expect(ids.includes(f), `${label} ${f}`).toBe(features.includes(f));
            // Framework files of the other frameworks never leak in.
            const fwDeps = Object.keys(p.dependencies).filter((d) => ['express', 'fastify', 'hono'].includes(d));
            expect(fwDeps, label).toEqual([framework]);
          }
        });
      }
    }
  }

  it('plans are deterministic', () => {
    const a = plan({ projectName: 'x', framework: 'hono', auth: 'session', database: 'mysql', features: ['waf', 'docs'] });
    const b = plan({ projectName: 'x', framework: 'hono', auth: 'session', database: 'mysql', features: ['docs', 'waf'] });
    expect([...a.files.keys()]).toEqual([...b.files.keys()]);
    for (const [path, entry] of a.files) expect(entry.contents.equals(b.files.get(path)?.contents ?? Buffer.alloc(0)), path).toBe(true);
  });
});
