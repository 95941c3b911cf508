/**
 * Typed settings from the environment (C21). Each module exports a zod *shape* whose keys are environment
 * variable names; `src/registry.ts` merges them and `loadSettings()` validates the whole environment at boot,
 * before the port is bound. A bad configuration fails with one message that names every bad variable and the
 * reason, and never its value (a value may be a secret).
 */
import { z } from 'zod';
import { FALSE_WORDS, splitList, TRUE_WORDS } from './env-words.js';

export type Env = Record<string, string | undefined>;

/** Raised by `loadSettings()`; its message is safe to print (names and reasons, no values). */
export class SettingsError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
    this.problems = problems;
  }
}

/** Comma-separated list; blanks dropped. Use `.default([...])` for a default. */
export function list() {
  return z.string().transform(splitList);
}

/** `true/false`, `1/0`, `yes/no`, `on/off` (any case). Use `.default(false)` for a default. */
export function bool() {
  return z
    .string()
    .transform((value) => value.trim().toLowerCase())
    .refine((value) => TRUE_WORDS.has(value) || FALSE_WORDS.has(value), { message: 'must be true or false' })
    .transform((value) => TRUE_WORDS.has(value));
}

/** A whole number between `min` and `max` inclusive. Use `.default(n)` for a default. */
export function int(min: number, max: number) {
  return z
    .string()
    .trim()
    .regex(/^-?\d+$/, { message: 'must be a whole number' })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, { message: `must be at least ${min}` })
        .max(max, { message: `must be at most ${max}` }),
    );
}

/** A TCP port (0 lets the OS pick one, for tests). */
export const port = int(0, 65535);

/** What a module may add: checks that only apply in production (weak secrets, TLS off, missing hosts). */
export interface ProductionCheck<S> {
  productionIssues?(settings: S, env: Env): string[];
}

/**
 * Validate `env` against the merged shape. An empty variable (`FOO=`) counts as unset, so `.env` files can
 * list every key. In production each module's `productionIssues()` runs too. Throws `SettingsError`.
 */
export function loadSettings<Shape extends z.ZodRawShape, S = z.infer<z.ZodObject<Shape>>>(
  env: Env,
  shape: Shape,
  modules: readonly ProductionCheck<S>[] = [],
): S {
  const input: Record<string, string> = {};
  for (const key of Object.keys(shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = z.object(shape).safeParse(input);
  if (!parsed.success) {
    const problems = new Map<string, string[]>();
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? 'environment');
      const reasons = problems.get(name) ?? [];
      reasons.push(describeIssue(issue));
      problems.set(name, reasons);
    }
    throw new SettingsError([...problems].map(([name, reasons]) => `${name}: ${reasons.join('; ')}`));
  }
  const settings = parsed.data as S;
  if ((settings as { NODE_ENV?: string }).NODE_ENV === 'production') {
    const problems = modules.flatMap((module) => module.productionIssues?.(settings, env) ?? []);
    if (problems.length > 0) throw new SettingsError(problems);
  }
  return settings;
}

/**
 * A reason for one issue. Zod's own messages never quote the input, but this maps the common codes to
 * short wording anyway so that a future zod message cannot start echoing a secret.
 */
function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      // Environment values are strings, so a type mismatch means the variable is missing.
      return 'is required';
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'too_small':
    case 'too_big':
    case 'invalid_format':
    case 'custom':
      return issue.message.replace(/^Invalid input: /, '');
    default:
      return 'is invalid';
  }
}
