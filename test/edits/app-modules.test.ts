import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addAppModule, isAppModuleRegistered } from '../../src/edits/app-modules.js';

const books = { importPath: './resources/books/module.js', identifier: 'booksModule' };
const notes = { importPath: './resources/notes/module.js', identifier: 'notesModule' };

const seeded = readFileSync(new URL('../../templates/base/common/src/app-modules.ts', import.meta.url), 'utf8');

describe('G3/G5 addAppModule: ts-morph edit of src/app-modules.ts', () => {
  it('adds the import after the last import and the element into an empty array', async () => {
    const before = "import type { Module } from './core/types.js';\n\nexport const appModules: Module[] = [];\n";
    const after = await addAppModule(before, books);
    expect(after).toBe(
      "import type { Module } from './core/types.js';\nimport { module as booksModule } from './resources/books/module.js';\n\nexport const appModules: Module[] = [booksModule];\n",
    );
  });

  it('appends to a single-line list, then to a multi-line list keeping its indentation and trailing comma', async () => {
    const one = "import type { Module } from './core/types.js';\nimport { module as booksModule } from './resources/books/module.js';\n\nexport const appModules: Module[] = [booksModule];\n";
    expect(await addAppModule(one, notes)).toBe(
      "import type { Module } from './core/types.js';\nimport { module as booksModule } from './resources/books/module.js';\nimport { module as notesModule } from './resources/notes/module.js';\n\nexport const appModules: Module[] = [booksModule, notesModule];\n",
    );
    const multi = [
      "import type { Module } from './core/types.js';",
      "import { module as booksModule } from './resources/books/module.js';",
      '',
      '// Mine, in my order.',
      'export const appModules: Module[] = [',
      '    booksModule, // first',
      '];',
      '',
    ].join('\n');
    expect(await addAppModule(multi, notes)).toBe(
      [
        "import type { Module } from './core/types.js';",
        "import { module as booksModule } from './resources/books/module.js';",
        "import { module as notesModule } from './resources/notes/module.js';",
        '',
        '// Mine, in my order.',
        'export const appModules: Module[] = [',
        '    booksModule, // first',
        '    notesModule,',
        '];',
        '',
      ].join('\n'),
    );
  });

  it('adds a comma when a multi-line list has none, and handles `[\\n]` and `as`/`satisfies` wrappers', async () => {
    const noComma = "import type { Module } from './core/types.js';\nexport const appModules = [\n  a\n] satisfies Module[];\n";
    expect(await addAppModule(noComma, books)).toBe(
      "import type { Module } from './core/types.js';\nimport { module as booksModule } from './resources/books/module.js';\nexport const appModules = [\n  a,\n  booksModule\n] satisfies Module[];\n",
    );
    const emptyLines = "import type { Module } from './core/types.js';\nexport const appModules = [\n] as Module[];\n";
    expect(await addAppModule(emptyLines, books)).toBe(
      "import type { Module } from './core/types.js';\nimport { module as booksModule } from './resources/books/module.js';\nexport const appModules = [\n  booksModule,\n] as Module[];\n",
    );
  });

  it('is idempotent: a second run changes nothing, also when the user renamed the import', async () => {
    const once = await addAppModule(seeded, books);
    expect(once).not.toBe(seeded);
    expect(await addAppModule(once, books)).toBe(once);
    const renamed = "import { module as myBooks } from './resources/books/module.js';\nexport const appModules = [myBooks];\n";
    expect(await addAppModule(renamed, books)).toBe(renamed);
    expect(await isAppModuleRegistered(once, books.importPath)).toBe(true);
    expect(await isAppModuleRegistered(seeded, books.importPath)).toBe(false);
  });

  it('keeps CRLF line endings', async () => {
    const crlf = seeded.replace(/\n/g, '\r\n');
    const after = await addAppModule(crlf, books);
    expect(after.replace(/\r\n/g, '')).not.toContain('\n');
    expect(after).toContain("\r\nimport { module as booksModule } from './resources/books/module.js';\r\n");
    expect(after).toContain('appModules: Module[] = [booksModule];\r\n');
    expect(await addAppModule(after, books)).toBe(after);
  });

  it('only imports when the element is already listed, and only lists when the import exists', async () => {
    const listedOnly = "export const appModules = [booksModule];\n";
    expect(await addAppModule(listedOnly, books)).toBe(
      "import { module as booksModule } from './resources/books/module.js';\n\nexport const appModules = [booksModule];\n",
    );
  });

  it('stops with edit_anchor_missing and says what to add when there is no appModules array', async () => {
    await expect(addAppModule("export const modules = [];\n", books)).rejects.toMatchObject({
      code: 'edit_anchor_missing',
      hint: expect.stringContaining("import { module as booksModule } from './resources/books/module.js';"),
    });
    await expect(addAppModule('export const appModules = loadModules();\n', books)).rejects.toMatchObject({ code: 'edit_anchor_missing' });
  });
});
