import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { FileTree } from './tree.js';

/** Write a tree below `root` (which must exist). */
export function writeTree(root: string, files: FileTree): void {
  for (const [path, entry] of files) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, entry.contents);
    if (entry.executable) chmodSync(full, 0o755);
  }
}

/** Replace one file atomically: write a sibling temp file, then rename over the target. */
export function writeFileAtomic(path: string, contents: Buffer | string, executable = false): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, contents);
    if (executable) chmodSync(temp, 0o755);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** A staging folder beside the target, on the same filesystem so the final move is one rename. */
export function stagingDirFor(target: string): string {
  const dir = join(dirname(target), `.${basename(target)}.secure-api-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function isEmptyDir(path: string): boolean | undefined {
  try {
    return readdirSync(path).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Move a finished staging folder into place. A missing or empty target is replaced by one rename, so the
 * project appears whole or not at all; with --force over a non-empty folder, each top-level entry is moved
 * in (replacing same-named entries) and the user's other files stay.
 */
export function moveIntoPlace(staging: string, target: string): void {
  const empty = isEmptyDir(target);
  if (empty === undefined || empty) {
    if (empty) rmSync(target, { recursive: true });
    mkdirSync(dirname(target), { recursive: true });
    renameSync(staging, target);
    return;
  }
  for (const entry of readdirSync(staging)) {
    rmSync(join(target, entry), { recursive: true, force: true });
    renameSync(join(staging, entry), join(target, entry));
  }
  rmSync(staging, { recursive: true, force: true });
}
