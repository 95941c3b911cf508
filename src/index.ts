/** The programmatic API: what the CLI calls and what most tests call. */
export { type Answers, combinationProblem, DEFAULTS, validateAnswers } from './engine/answers.js';
export { create, type CreateOptions, type CreateResult } from './engine/create.js';
export { CliError } from './engine/errors.js';
export { type Plan, plan } from './engine/plan.js';
export type { FileEntry, FileTree, Tier } from './engine/tree.js';
export { GENERATOR_VERSION } from './engine/version.js';
// generate and check load ts-morph only when called (never on the create path).
export { generateFeature, type GenerateResult } from './engine/generate.js';
export { generateResource } from './engine/resource/generate.js';
export { check, type CheckReport, type Finding } from './engine/check/index.js';
