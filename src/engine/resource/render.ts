import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATES_DIR } from '../tree.js';
import { type FieldType, parseFields, type ResourceField, type ResourceSpec, toCamel, toPascal, toSnake } from './spec.js';

/** Per type: the zod schema, the column, the TypeScript types, sample values for the generated tests. */
interface TypeInfo {
  zod: string;
  column: string;
  /** Column type in the Kysely table interface. */
  rowType: string;
  /** Type in the API. */
  apiType: string;
  responseZod: string;
  text: boolean;
  sample: string;
  other: string;
  /** [label, invalid value as code] */
  invalid: Array<[string, string]>;
}

const STRING_MAX = 200;
const TEXT_MAX = 10_000;

const TYPES: Record<FieldType, TypeInfo> = {
  string: {
    zod: `z.string().trim().min(1).max(${STRING_MAX})`,
    // Room for sanitising escapes (`&` → `&amp;`), as in the items table.
    column: "'varchar(1000)'",
    rowType: 'string',
    apiType: 'string',
    responseZod: 'z.string()',
    text: true,
    sample: "'First'",
    other: "'Renamed'",
    invalid: [
      ['empty', "''"],
      [`over ${STRING_MAX} characters`, `'x'.repeat(${STRING_MAX + 1})`],
      ['of the wrong type', '123'],
      ['as an object', "{ $gt: '' }"],
    ],
  },
  text: {
    zod: `z.string().max(${TEXT_MAX})`,
    column: "'text'",
    rowType: 'string',
    apiType: 'string',
    responseZod: 'z.string()',
    text: true,
    sample: "'Some text'",
    other: "'Other text'",
    invalid: [
      [`over ${TEXT_MAX} characters`, `'x'.repeat(${TEXT_MAX + 1})`],
      ['of the wrong type', '123'],
    ],
  },
  int: {
    // The range every engine's INTEGER holds.
    zod: 'z.number().int().min(-2_147_483_648).max(2_147_483_647)',
    column: "'integer'",
    rowType: 'number',
    apiType: 'number',
    responseZod: 'z.number()',
    text: false,
    sample: '42',
    other: '7',
    invalid: [
      ['not whole', '1.5'],
      ['out of range', '2 ** 31'],
      ['a string', "'42'"],
    ],
  },
  number: {
    zod: 'z.number()',
    column: "'double precision'",
    rowType: 'number',
    apiType: 'number',
    responseZod: 'z.number()',
    text: false,
    sample: '1.5',
    other: '-2.25',
    invalid: [
      ['a string', "'1.5'"],
      ['null', 'null'],
    ],
  },
  boolean: {
    zod: 'z.boolean()',
    // 0/1 on every engine (better-sqlite3 cannot bind booleans; MySQL's BOOLEAN is TINYINT anyway).
    column: "'integer'",
    rowType: 'number',
    apiType: 'boolean',
    responseZod: 'z.boolean()',
    text: false,
    sample: 'true',
    other: 'false',
    invalid: [
      ['a string', "'yes'"],
      ['a number', '1'],
    ],
  },
  date: {
    zod: 'z.iso.date()',
    // YYYY-MM-DD sorts as text on every engine.
    column: "'varchar(10)'",
    rowType: 'string',
    apiType: 'string',
    responseZod: 'z.string()',
    text: false,
    sample: "'2030-01-31'",
    other: "'2030-12-01'",
    invalid: [
      ['not a date', "'not-a-date'"],
      ['an impossible month', "'2030-13-01'"],
      ['a date-time', "'2030-01-31T10:00:00Z'"],
    ],
  },
};

export interface ResourceNames {
  name: string;
  Name: string;
  camel: string;
  path: string;
}

export function namesOf(name: string): ResourceNames {
  return { name, Name: toPascal(name), camel: toCamel(name), path: name.replace(/_/g, '-') };
}

/** Paths of a resource's files in the project. The migration is named at generation time (timestamp). */
export function resourcePaths(name: string): { dir: string; module: string; test: string; importPath: string } {
  return {
    dir: `src/resources/${name}`,
    module: `src/resources/${name}/module.ts`,
    test: `test/resources/${name}.test.ts`,
    importPath: `./resources/${name}/module.js`,
  };
}

export const SHARED_TEXT_FILE = 'src/resources/text.ts';

function template(file: string): string {
  return readFileSync(join(TEMPLATES_DIR, 'resource', file), 'utf8');
}

function fill(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => vars[key] ?? whole);
}

function objectLiteral(entries: Array<[string, string]>): string {
  return entries.length ? `{ ${entries.map(([k, v]) => `${k}: ${v}`).join(', ')} }` : '{}';
}

/**
 * The files of one resource, rendered from templates/resource/*.tpl. Returns destination path → text; the
 * migration's name carries `timestamp` so that it sorts after every migration already applied.
 */
export function renderResource(spec: ResourceSpec, timestamp: string): Map<string, string> {
  const fields = parseFields(spec.fields);
  const n = namesOf(spec.name);
  const col = (f: ResourceField) => toSnake(f.name);
  const t = (f: ResourceField) => TYPES[f.type];
  const textFields = fields.filter((f) => t(f).text);
  const usesCleanText = textFields.some((f) => !f.optional);
  const usesCleanOptional = textFields.some((f) => f.optional);
  const textNames = [...(usesCleanOptional ? ['cleanOptionalText'] : []), ...(usesCleanText ? ['cleanText'] : [])];

  const cleanCreate = (f: ResourceField): string => {
    const v = `body.${f.name}`;
    if (t(f).text) return f.optional ? `cleanOptionalText(${v})` : `cleanText(${v}, '${f.name}')`;
    return f.optional ? `${v} ?? null` : v;
  };
  const cleanUpdate = (f: ResourceField): string => {
    const v = `body.${f.name}`;
    if (t(f).text) return f.optional ? `cleanOptionalText(${v})` : `cleanText(${v}, '${f.name}')`;
    return v;
  };
  const toApi = (f: ResourceField): string => {
    const v = `row.${col(f)}`;
    if (f.type === 'boolean') return f.optional ? `${v} === null ? null : Number(${v}) === 1` : `Number(${v}) === 1`;
    return v;
  };
  const toColumn = (f: ResourceField, v: string): string => {
    if (f.type === 'boolean') return f.optional ? `${v} === null ? null : ${v} ? 1 : 0` : `${v} ? 1 : 0`;
    return v;
  };
  const nullable = (f: ResourceField, type: string) => (f.optional ? `${type} | null` : type);

  const vars: Record<string, string> = {
    ...n,
    tableColumns: fields
      .map((f) => `${f.type === 'boolean' ? '  /** 0 or 1 (portable across engines). */\n' : ''}  ${col(f)}: ${nullable(f, t(f).rowType)};`)
      .join('\n'),
    fieldSchemas: fields.map((f) => `const ${f.name}Field = ${t(f).zod};`).join('\n'),
    createShape: fields.map((f) => `    ${f.name}: ${f.name}Field${f.optional ? '.nullable().optional()' : ''},`).join('\n'),
    updateShape: fields.map((f) => `    ${f.name}: ${f.name}Field${f.optional ? '.nullable()' : ''}.optional(),`).join('\n'),
    responseShape: fields.map((f) => `  ${f.name}: ${t(f).responseZod}${f.optional ? '.nullable()' : ''},`).join('\n'),
    publicColumns: ['id', ...fields.map(col), 'created_at', 'updated_at'].map((c) => `'${c}'`).join(', '),
    fieldsInterface: fields.map((f) => `  ${f.name}: ${nullable(f, t(f).apiType)};`).join('\n'),
    toApi: fields.map((f) => `    ${f.name}: ${toApi(f)},`).join('\n'),
    toColumns: fields
      .map((f) => `  if (fields.${f.name} !== undefined) columns.${col(f)} = ${toColumn(f, `fields.${f.name}`)};`)
      .join('\n'),
    insertColumns: fields.map((f) => `    ${col(f)}: ${toColumn(f, `fields.${f.name}`)},`).join('\n'),
    textImport: textNames.length ? `import { ${textNames.join(', ')} } from '../text.js';\n` : '',
    createAssignments: fields.map((f) => `          ${f.name}: ${cleanCreate(f)},`).join('\n'),
    updateAssignments: fields
      .map((f) => `        if (body.${f.name} !== undefined) fields.${f.name} = ${cleanUpdate(f)};`)
      .join('\n'),
    migrationColumns: fields
      .map((f) => `    .addColumn('${col(f)}', ${t(f).column}${f.optional ? '' : ', (c) => c.notNull()'})`)
      .join('\n'),
  };

  // The generated tests: sample bodies and the invalid cases of every field.
  const valid = fields.map((f): [string, string] => [f.name, t(f).sample]);
  const minimal = fields.filter((f) => !f.optional).map((f): [string, string] => [f.name, t(f).sample]);
  const changed = fields.map((f): [string, string] => [f.name, t(f).other]);
  const invalid: string[] = [];
  for (const f of fields) {
    if (!f.optional) {
      const without = valid.filter(([k]) => k !== f.name);
      invalid.push(`    ['${f.name} missing', ${objectLiteral(without)}],`);
    }
    for (const [label, value] of t(f).invalid) {
      if (f.optional && value === 'null') continue;
      invalid.push(`    ['${f.name} ${label}', { ...VALID, ${f.name}: ${value} }],`);
    }
  }
  const firstText = textFields[0];
  const c17Block = firstText
    ? `
describe('C17 text fields are sanitised: no tag or handler ever comes back', () => {
  it.each([
    '<script>alert(1)</script>hello',
    '<img src=x onerror=alert(1)>hello',
    '<svg onload=alert(1)>hello</svg>',
    '<a href="javascript:alert(1)" onclick="x()">hello</a>',
  ])('${firstText.name} %s', async (payload) => {
    const res = await post({ ...VALID, ${firstText.name}: payload });
    expect(res.status).toBe(201);
    for (const text of [res.text, (await request(server, \`\${BASE}/\${res.json().id}\`, { headers: alice })).text]) {
      expect(text).not.toMatch(/<script|<img|<svg|<a /i);
      expect(text).not.toMatch(/onerror=|onload=|onclick=/i);
    }
    expect(res.json().${firstText.name}).toContain('hello');
  });
});
`
    : '';
  const testVars: Record<string, string> = {
    ...n,
    keys: ['createdAt', 'id', 'updatedAt', ...fields.map((f) => f.name)]
      .sort()
      .map((k) => `'${k}'`)
      .join(', '),
    valid: objectLiteral(valid),
    minimal: objectLiteral(minimal),
    changed: objectLiteral(changed),
    invalidCases: invalid.join('\n'),
    c17Title: firstText ? ' and sanitised text (C17)' : '',
    c17Block,
  };

  const paths = resourcePaths(spec.name);
  const files = new Map<string, string>();
  files.set(`${paths.dir}/table.ts`, fill(template('table.ts.tpl'), vars));
  files.set(`${paths.dir}/schemas.ts`, fill(template('schemas.ts.tpl'), vars));
  files.set(`${paths.dir}/repository.ts`, fill(template('repository.ts.tpl'), vars));
  files.set(`${paths.dir}/routes.ts`, fill(template('routes.ts.tpl'), vars));
  files.set(paths.module, fill(template('module.ts.tpl'), vars));
  files.set(`src/database/migrations/${timestamp}_${spec.name}.ts`, fill(template('migration.ts.tpl'), vars));
  files.set(paths.test, fill(template('test.ts.tpl'), testVars));
  if (textFields.length) files.set(SHARED_TEXT_FILE, template('shared/text.ts'));
  return files;
}

/** `20260102030405`: UTC, sorts after the units' `NNNN_` migrations and after earlier resources. */
export function migrationTimestamp(date = new Date()): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
