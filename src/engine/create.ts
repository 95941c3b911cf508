import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Answers } from './answers.js';
import { onAbort } from './cleanup.js';
import { CliError } from './errors.js';
import { isEmptyDir, moveIntoPlace, stagingDirFor, writeTree } from './flush.js';
import { type Plan, type PlanOptions, plan } from './plan.js';

export type PackageManager = 'npm' | 'pnpm' | 'yarn';

export interface CreateOptions extends PlanOptions {
  answers: Answers;
  /** Where the project goes (default: ./<projectName>). */
  directory?: string;
  force?: boolean;
  install?: boolean;
  git?: boolean;
  packageManager?: PackageManager;
  /** Progress lines for the CLI. */
  log?: (line: string) => void;
}

export interface CreateResult {
  plan: Plan;
  directory: string;
}

/** The package manager that ran us (`npm create`, `pnpm create`, `yarn create`), npm otherwise. */
export function detectPackageManager(userAgent = process.env.npm_config_user_agent ?? ''): PackageManager {
  if (userAgent.startsWith('pnpm')) return 'pnpm';
  if (userAgent.startsWith('yarn')) return 'yarn';
  return 'npm';
}

/**
 * Create a project: plan it, write it into a staging folder beside the target, install and commit there,
 * then move it into place in one rename. On any error, or Ctrl-C, the staging folder is removed and the
 * target is as it was.
 */
export async function create(options: CreateOptions): Promise<CreateResult> {
  const directory = resolve(options.directory ?? options.answers.projectName);
  const empty = isEmptyDir(directory);
  if (empty === false && !options.force) {
    throw new CliError('target_not_empty', `${directory} exists and is not empty.`, 'Pick another directory, empty it, or pass --force to write over same-named files (other files are kept).');
  }
  if (existsSync(directory) && empty === undefined) throw new CliError('target_not_dir', `${directory} is not a directory.`);
  const result = plan(options.answers, options);
  const log = options.log ?? (() => {});
  const staging = stagingDirFor(directory);
  const forget = onAbort(() => rmSync(staging, { recursive: true, force: true }));
  try {
    writeTree(staging, result.files);
    log(`Wrote ${result.files.size} files.`);
    if (options.install !== false) {
      const pm = options.packageManager ?? 'npm';
      log(`Installing dependencies with ${pm}…`);
      const { execa } = await import('execa');
      await execa(pm, ['install'], { cwd: staging, stdio: ['ignore', 'pipe', 'pipe'], env: { npm_config_fund: 'false' } });
    }
    if (options.git !== false) await gitInit(staging);
    moveIntoPlace(staging, directory);
    return { plan: result, directory };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (error instanceof CliError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError('create_failed', `Could not create the project: ${message.split('\n').slice(0, 12).join('\n')}`, 'Nothing was written to the target directory.');
  } finally {
    forget();
  }
}

/** One initial commit with the lockfile (C26). A missing git identity gets a local one, not a failure. */
async function gitInit(dir: string): Promise<void> {
  const { execa } = await import('execa');
  const identity = await execa('git', ['config', 'user.email'], { cwd: dir, reject: false });
  const who = identity.exitCode === 0 ? [] : ['-c', 'user.name=create-secure-api', '-c', 'user.email=create-secure-api@localhost'];
  await execa('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  await execa('git', ['add', '-A'], { cwd: dir });
  await execa('git', [...who, 'commit', '-q', '--no-verify', '-m', 'Initial commit from create-secure-api'], { cwd: dir });
}
