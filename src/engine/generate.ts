import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { type Answers, FEATURES, isOneOf } from './answers.js';
import { unifiedDiff } from './diff.js';
import { CliError } from './errors.js';
import { writeFileAtomic } from './flush.js';
import { type Plan, plan } from './plan.js';
import { type Project, readBuffer, readProject } from './project.js';
import { mergeEnvExample } from './render/env-example.js';
import { MANIFEST_FILE } from './render/manifest.js';
import { mergePackageJson } from './render/package-json.js';
import { FEATURE_RESERVED_NAMES } from './resource/spec.js';
import { type FileEntry, isText } from './tree.js';
import type { FeatureId } from './unit.js';

/** One file `generate` writes (or would write, with --dry-run). */
export interface FileChange {
  path: string;
  action: 'create' | 'update';
  /** Why: new file, pristine (untouched since generated) replaced, managed re-render, merged keys. */
  reason: string;
  before?: Buffer;
  after: Buffer;
  executable?: boolean;
}

/** A file `generate` left alone because the user changed it; the generator's version is reported instead. */
export interface KeptFile {
  path: string;
  reason: string;
}

export interface GenerateResult {
  /** Nothing to do: the feature (or resource) is already in the project. */
  alreadyPresent: boolean;
  changes: FileChange[];
  kept: KeptFile[];
  /** Uncommitted changes in the project's git tree (a warning: generate never needs a clean tree). */
  dirty: boolean;
  /** package.json changed: the user must run `npm install`. */
  needsInstall: boolean;
  dryRun: boolean;
  /** Unified diff of every change (always computed; printed by --dry-run). */
  diff: string;
}

export interface GenerateFeatureOptions {
  dir?: string;
  feature: string;
  dryRun?: boolean;
}

const normalise = (b: Buffer): string => b.toString('utf8').replace(/\r\n/g, '\n');

/** Same content, ignoring CRLF vs LF in text files (git may check a project out with either). */
export function sameContent(path: string, a: Buffer, b: Buffer): boolean {
  if (a.equals(b)) return true;
  return isText(path) && normalise(a) === normalise(b);
}

/** Keep the line endings of the file being replaced. */
function withEndingsOf(path: string, existing: Buffer | undefined, next: Buffer): Buffer {
  if (!existing || !isText(path)) return next;
  const crlf = existing.includes('\r\n');
  if (!crlf) return next;
  return Buffer.from(normalise(next).replace(/\n/g, '\r\n'), 'utf8');
}

/** `git status --porcelain` says something: warn before writing into uncommitted work. */
export function isDirty(dir: string): boolean {
  try {
    const out = execFileSync('git', ['status', '--porcelain'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' });
    return out.trim().length > 0;
  } catch {
    return false; // not a git repository, or no git: nothing to warn about
  }
}

/**
 * Lay a new plan over a project made from an old plan, file by file:
 * absent → write; equal → nothing; equal to the old plan's version (pristine) → replace; managed → re-render;
 * merged (package.json, .env.example) → add the missing keys, keep the user's; otherwise the user's file wins and
 * is reported. So running it again changes nothing, and user code is never overwritten.
 */
export function layOver(project: Project, before: Plan, after: Plan): { changes: FileChange[]; kept: KeptFile[] } {
  const changes: FileChange[] = [];
  const kept: KeptFile[] = [];
  for (const [path, entry] of after.files) {
    const disk = readBuffer(join(project.dir, path));
    const old = before.files.get(path);
    const change = (action: FileChange['action'], reason: string, contents: Buffer): void => {
      changes.push({ path, action, reason, after: contents, ...(disk ? { before: disk } : {}), ...(entry.executable ? { executable: true } : {}) });
    };
    if (disk === undefined) {
      if (old && entry.tier === 'seeded' && sameContent(path, old.contents, entry.contents)) {
        // The user deleted a file the new plan does not change: that was their decision.
        kept.push({ path, reason: 'deleted by you; not re-created' });
        continue;
      }
      change('create', old ? 're-created' : 'new file', entry.contents);
      continue;
    }
    if (sameContent(path, disk, entry.contents)) continue;
    if (entry.tier === 'managed') {
      const edited = old !== undefined && !sameContent(path, disk, old.contents);
      change('update', edited ? 'managed: re-rendered; it had been edited by hand and those edits are replaced' : 'managed: re-rendered', withEndingsOf(path, disk, entry.contents));
      continue;
    }
    if (old && sameContent(path, disk, old.contents)) {
      change('update', 'untouched since generated: replaced', withEndingsOf(path, disk, entry.contents));
      continue;
    }
    if (entry.tier === 'merged') {
      const merged = mergeFile(path, disk, project, after);
      if (merged !== undefined && !sameContent(path, disk, merged)) change('update', 'merged: missing keys added, yours kept', withEndingsOf(path, disk, merged));
      continue;
    }
    // A seeded file the user changed. When the generator's version did not change either, there is nothing to say.
    if (old && sameContent(path, old.contents, entry.contents)) continue;
    kept.push({ path, reason: old ? 'edited by you: kept (the generator would now write a different version)' : 'exists and is yours: kept (the generator has a file at this path)' });
  }
  return { changes, kept };
}

function mergeFile(path: string, disk: Buffer, project: Project, after: Plan): Buffer | undefined {
  const text = disk.toString('utf8');
  if (path === 'package.json') {
    try {
      return Buffer.from(mergePackageJson(text, after.answers, after.units, project.planOptions), 'utf8');
    } catch {
      throw new CliError('package_json_invalid', 'package.json is not valid JSON: fix it, then run generate again.');
    }
  }
  if (path === '.env.example') return Buffer.from(mergeEnvExample(text, after.units), 'utf8');
  return undefined;
}

/** Write the changes, the answers file last: an interrupted run is finished by running it again. */
export function applyChanges(dir: string, changes: readonly FileChange[]): void {
  const ordered = [...changes].sort((a, b) => Number(a.path === MANIFEST_FILE) - Number(b.path === MANIFEST_FILE));
  for (const c of ordered) writeFileAtomic(join(dir, c.path), c.after, c.executable ?? false);
}

export function diffOf(changes: readonly FileChange[]): string {
  return changes
    .map((c) => {
      if (!isText(c.path)) return `Binary file ${c.path} ${c.action === 'create' ? 'created' : 'changed'}\n`;
      return unifiedDiff(c.path, c.before?.toString('utf8'), c.after.toString('utf8'));
    })
    .join('');
}

function planFor(answers: Answers, project: Project, what: string): Plan {
  try {
    return plan(answers, project.planOptions);
  } catch (error) {
    const message = (error as Error).message;
    const conflict = /^Template conflict: (.+) comes from both (\S+) and (\S+)\.$/.exec(message);
    if (conflict) {
      throw new CliError('feature_conflict', `${what} conflicts with ${conflict[2]!.split('/')[0]}: both write ${conflict[1]}.`, 'These two cannot be in one project.');
    }
    if (error instanceof CliError) throw new CliError('feature_conflict', `${what}: ${error.message}`);
    throw error;
  }
}

/** `secure-api generate <feature>` (G5). */
export function generateFeature(options: GenerateFeatureOptions): GenerateResult {
  const project = readProject(options.dir);
  const feature = options.feature;
  if (!isOneOf(FEATURES, feature)) {
    throw new CliError('usage_unknown_feature', `Unknown feature "${feature}". Features: ${FEATURES.join(', ')}; or: generate resource <name> --fields ...`);
  }
  const result: GenerateResult = { alreadyPresent: false, changes: [], kept: [], dirty: false, needsInstall: false, dryRun: options.dryRun ?? false, diff: '' };
  const { answers } = project;
  if (answers.features.includes(feature)) return { ...result, alreadyPresent: true };
  for (const resource of project.resources) {
    if ((FEATURE_RESERVED_NAMES[feature] ?? []).includes(resource.name)) {
      throw new CliError(
        'feature_conflict',
        `Feature ${feature} conflicts with your resource ${resource.name}: both want src/${resource.name === 'files' ? 'uploads' : feature}/ and /api/v1/${resource.name}.`,
        `Rename the resource (its folder, routes and the entry in ${MANIFEST_FILE}) before adding ${feature}.`,
      );
    }
  }
  const before = planFor(answers, project, `The project (${MANIFEST_FILE})`);
  const next: Answers = { ...answers, features: [...answers.features, feature as FeatureId] };
  const after = planFor(next, project, `Feature ${feature}`);
  const { changes, kept } = layOver(project, before, after);
  return finish(project.dir, { ...result, changes, kept }, options.dryRun ?? false);
}

export function finish(dir: string, result: GenerateResult, dryRun: boolean): GenerateResult {
  const out = { ...result, dirty: isDirty(dir), dryRun, diff: diffOf(result.changes) };
  out.needsInstall = result.changes.some((c) => c.path === 'package.json');
  if (!dryRun) applyChanges(dir, result.changes);
  return out;
}

export type { FileEntry };
