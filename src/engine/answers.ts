import { CliError } from './errors.js';
import type { ResourceSpec } from './resource/spec.js';
import type { AuthStyle, Database, FeatureId, Framework } from './unit.js';

export const FRAMEWORKS: readonly Framework[] = ['fastify', 'express', 'hono'];
export const AUTH_STYLES: readonly AuthStyle[] = ['jwt', 'session', 'api-key', 'none'];
export const DATABASES: readonly Database[] = ['sqlite', 'postgres', 'mysql', 'none'];
export const FEATURES: readonly FeatureId[] = ['waf', 'uploads', 'websocket', 'docs', 'metrics', 'redis'];

export const DEFAULTS = {
  framework: 'fastify',
  auth: 'jwt',
  database: 'sqlite',
  features: FEATURES,
} as const;

/** The choices that define a project. Recorded in `.secure-api.json`; never holds a secret. */
export interface Answers {
  projectName: string;
  framework: Framework;
  auth: AuthStyle;
  database: Database;
  features: FeatureId[];
  /** Resources added later with `secure-api generate resource` (recorded so that `check` knows them). */
  resources?: ResourceSpec[];
}

export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

export function expectOneOf<T extends string>(option: string, values: readonly T[], value: unknown): T {
  if (isOneOf(values, value)) return value;
  throw new CliError('usage_invalid_value', `Invalid --${option} "${String(value)}". Valid values: ${values.join(', ')}.`);
}

/** Parse `--features waf,docs` (or `all`, `none`) into a sorted, de-duplicated list in canonical order. */
export function parseFeatures(value: string): FeatureId[] {
  const trimmed = value.trim();
  if (trimmed === 'all') return [...FEATURES];
  if (trimmed === 'none' || trimmed === '') return [];
  const wanted = trimmed.split(',').map((s) => s.trim()).filter(Boolean);
  for (const feature of wanted) expectOneOf('features', FEATURES, feature);
  return FEATURES.filter((f) => wanted.includes(f));
}

/**
 * npm package name rules for the project name (it becomes package.json `name`), without the scope form:
 * lowercase, url-safe, at most 214 characters, not starting with . or _.
 */
export function validateProjectName(name: string): string | undefined {
  if (name.length === 0) return 'The project name is empty.';
  if (name.length > 214) return 'The project name is longer than 214 characters.';
  if (!/^[a-z0-9][a-z0-9._~-]*$/.test(name)) {
    return `"${name}" is not a valid npm package name: use lowercase letters, digits, "-", "." and "_", starting with a letter or digit.`;
  }
  if (name === 'node_modules' || name === 'favicon.ico') return `"${name}" is a reserved name.`;
  return undefined;
}

/**
 * The combination rules: the one oracle of what can be generated. Returns the reason a combination cannot
 * work, with what to pick instead, or undefined when it is valid.
 */
export function combinationProblem(answers: Pick<Answers, 'auth' | 'database' | 'features'>): string | undefined {
  if (answers.database === 'none' && (answers.auth === 'jwt' || answers.auth === 'session')) {
    return `auth "${answers.auth}" stores users in a database, so it cannot run with --database none; pick --database sqlite (embedded, no server), postgres or mysql, or --auth api-key / none.`;
  }
  return undefined;
}

export function validateAnswers(answers: Answers): Answers {
  const nameProblem = validateProjectName(answers.projectName);
  if (nameProblem) throw new CliError('usage_invalid_name', nameProblem);
  expectOneOf('framework', FRAMEWORKS, answers.framework);
  expectOneOf('auth', AUTH_STYLES, answers.auth);
  expectOneOf('database', DATABASES, answers.database);
  for (const f of answers.features) expectOneOf('features', FEATURES, f);
  const problem = combinationProblem(answers);
  if (problem) throw new CliError('usage_impossible_combination', problem);
  return { ...answers, features: FEATURES.filter((f) => answers.features.includes(f)) };
}
