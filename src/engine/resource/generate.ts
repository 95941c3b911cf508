import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { addAppModule, APP_MODULES_FILE } from '../../edits/app-modules.js';
import { CliError } from '../errors.js';
import { type FileChange, finish, type GenerateResult, sameContent } from '../generate.js';
import { readBuffer, readProject, readText } from '../project.js';
import { MANIFEST_FILE, renderManifest } from '../render/manifest.js';
import { migrationTimestamp, renderResource, resourcePaths } from './render.js';
import { formatField, parseFields, type ResourceSpec, toCamel, validateResourceName } from './spec.js';

export interface GenerateResourceOptions {
  dir?: string;
  name: string;
  /** `title:string,done:boolean,notes:text?` */
  fields: string;
  dryRun?: boolean;
  /** For tests: a fixed migration timestamp. */
  now?: Date;
  /** How new files are formatted (default: the project's Biome, when installed, with the project's biome.json). */
  format?: (path: string, text: string) => string;
}

/**
 * New files follow the project's formatter, so `npm run lint` (biome check) passes on them whatever the names'
 * lengths do to line wrapping. Without an installed Biome (no node_modules yet) the templates' layout is kept.
 */
export function biomeFormatter(dir: string): (path: string, text: string) => string {
  const bin = join(dir, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');
  if (!existsSync(bin)) return (_path, text) => text;
  const run = (command: string, path: string, text: string): string | undefined => {
    const result = spawnSync(process.execPath, [bin, ...command.split(' '), `--stdin-file-path=${path}`], {
      cwd: dir,
      input: text,
      encoding: 'utf8',
      timeout: 20_000,
    });
    return result.status === 0 && result.stdout ? result.stdout : undefined;
  };
  // `check --write` also sorts imports (Biome's organizeImports); `format` alone when a lint rule objects.
  return (path, text) => run('check --write', path, text) ?? run('format', path, text) ?? text;
}

/**
 * `secure-api generate resource <name> --fields ...` (G5): new files only (schemas, migration, repository,
 * routes, module, tests), one ts-morph edit of `src/app-modules.ts`, and the resource recorded in
 * `.secure-api.json` so that `check` knows it. Nothing the user wrote is replaced.
 */
export async function generateResource(options: GenerateResourceOptions): Promise<GenerateResult> {
  const project = readProject(options.dir);
  validateResourceName(options.name);
  const fields = parseFields(options.fields);
  const spec: ResourceSpec = { name: options.name, fields: fields.map(formatField) };
  const result: GenerateResult = { alreadyPresent: false, changes: [], kept: [], dirty: false, needsInstall: false, dryRun: options.dryRun ?? false, diff: '' };

  if (project.answers.database === 'none') {
    throw new CliError(
      'resource_needs_database',
      'This project has no database (--database none), so a resource has nowhere to store its records.',
      'Resources need sqlite, postgres or mysql; create the project again with --database sqlite (embedded) or another engine.',
    );
  }
  const recorded = project.resources.find((r) => r.name === spec.name);
  if (recorded) {
    if (recorded.fields.join(',') === spec.fields.join(',')) return { ...result, alreadyPresent: true };
    throw new CliError(
      'resource_exists',
      `The resource ${spec.name} already exists with fields ${recorded.fields.join(',')}.`,
      'To change its fields, edit its files under src/resources and add a migration; generate never rewrites them.',
    );
  }
  const paths = resourcePaths(spec.name);
  if (existsSync(join(project.dir, paths.dir))) {
    throw new CliError('resource_conflict', `${paths.dir}/ already exists (your files), and ${MANIFEST_FILE} does not list a resource ${spec.name}.`, 'Pick another name, or move your folder away first.');
  }

  const changes: FileChange[] = [];
  const format = options.format ?? biomeFormatter(project.dir);
  for (const [path, text] of renderResource(spec, migrationTimestamp(options.now))) {
    const after = Buffer.from(format(path, text), 'utf8');
    const disk = readBuffer(join(project.dir, path));
    if (disk && sameContent(path, disk, after)) continue;
    if (disk) {
      // Only the shared text helper can already exist; the user's version of it wins.
      result.kept.push({ path, reason: 'exists and is yours: kept' });
      continue;
    }
    changes.push({ path, action: 'create', reason: 'new file', after });
  }

  const registry = readText(join(project.dir, APP_MODULES_FILE));
  if (registry === undefined) {
    throw new CliError(
      'edit_anchor_missing',
      `${APP_MODULES_FILE} is missing, so the resource cannot be registered.`,
      `Create it with \`import type { Module } from './core/types.js'; export const appModules: Module[] = [];\`, make src/create-server.ts run \`[...modules, ...appModules]\`, then run this again.`,
    );
  }
  const edited = await addAppModule(registry, { importPath: paths.importPath, identifier: `${toCamel(spec.name)}Module` });
  if (edited !== registry) {
    changes.push({ path: APP_MODULES_FILE, action: 'update', reason: 'registered the module (ts-morph edit)', before: Buffer.from(registry, 'utf8'), after: Buffer.from(edited, 'utf8') });
  }

  const answers = { ...project.answers, resources: [...project.resources, spec] };
  const manifestPath = MANIFEST_FILE;
  const manifestBefore = readBuffer(join(project.dir, manifestPath));
  changes.push({
    path: manifestPath,
    action: 'update',
    reason: 'resource recorded',
    after: Buffer.from(renderManifest(answers), 'utf8'),
    ...(manifestBefore ? { before: manifestBefore } : {}),
  });
  return finish(project.dir, { ...result, changes }, options.dryRun ?? false);
}
