import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Answers, validateAnswers } from './answers.js';
import { CliError } from './errors.js';
import type { PlanOptions } from './plan.js';
import { MANIFEST_FILE } from './render/manifest.js';
import { parseFields, type ResourceSpec, validateResourceName } from './resource/spec.js';

/** A generated project on disk, as `generate` and `check` see it. */
export interface Project {
  dir: string;
  answers: Answers;
  resources: ResourceSpec[];
  /** How the project depends on the generator, so a re-plan reproduces its package.json. */
  planOptions: PlanOptions;
}

export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
    throw error;
  }
}

export function readBuffer(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
    throw error;
  }
}

/** Read `.secure-api.json` (the answers, G6) and validate it like command-line answers. */
export function readProject(directory = '.'): Project {
  const dir = resolve(directory);
  const text = readText(join(dir, MANIFEST_FILE));
  if (text === undefined) {
    throw new CliError('not_a_project', `No ${MANIFEST_FILE} in ${dir}.`, 'Run this inside a project made by create-secure-api (or pass --dir <project>).');
  }
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new CliError('manifest_invalid', `${MANIFEST_FILE} is not valid JSON: ${(error as Error).message}`);
  }
  const resources = readResources(raw.resources);
  let answers: Answers;
  try {
    answers = validateAnswers({
      projectName: raw.projectName as string,
      framework: raw.framework as Answers['framework'],
      auth: raw.auth as Answers['auth'],
      database: raw.database as Answers['database'],
      features: Array.isArray(raw.features) ? (raw.features as Answers['features']) : [],
      ...(resources.length ? { resources } : {}),
    });
  } catch (error) {
    if (error instanceof CliError) throw new CliError('manifest_invalid', `${MANIFEST_FILE}: ${error.message}`, 'Fix the answers file, or regenerate the project.');
    throw error;
  }
  return { dir, answers, resources, planOptions: readPlanOptions(dir) };
}

function readResources(value: unknown): ResourceSpec[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new CliError('manifest_invalid', `${MANIFEST_FILE}: "resources" must be a list.`);
  return value.map((entry: unknown) => {
    const r = entry as { name?: unknown; fields?: unknown };
    if (typeof r.name !== 'string' || !Array.isArray(r.fields) || !r.fields.every((f) => typeof f === 'string')) {
      throw new CliError('manifest_invalid', `${MANIFEST_FILE}: each resource is {"name": "...", "fields": ["title:string", ...]}.`);
    }
    try {
      validateResourceName(r.name, false);
      parseFields(r.fields as string[]);
    } catch (error) {
      throw new CliError('manifest_invalid', `${MANIFEST_FILE}: resource ${r.name}: ${(error as Error).message}`);
    }
    return { name: r.name, fields: [...(r.fields as string[])] };
  });
}

/** The project's own pin of the generator (a version, or a tarball in the generator's tests). */
function readPlanOptions(dir: string): PlanOptions {
  const text = readText(join(dir, 'package.json'));
  if (text === undefined) return {};
  try {
    const pkg = JSON.parse(text) as { devDependencies?: Record<string, string> };
    const spec = pkg.devDependencies?.['create-secure-api'];
    return typeof spec === 'string' ? { generatorSpec: spec } : {};
  } catch {
    return {};
  }
}
