import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Who owns a generated file, which decides what `generate` and `check` do with it:
 * - managed: re-rendered from the answers; `check` compares byte for byte (src/registry.ts, the manifest).
 * - merged: the engine adds its keys and keeps the user's (package.json, .env.example).
 * - seeded: written once, then the user's (app code, tests); updated by `generate` only while untouched.
 */
export type Tier = 'managed' | 'merged' | 'seeded';

export interface FileEntry {
  contents: Buffer;
  tier: Tier;
  executable?: boolean;
  /** The unit that contributed the file (or `engine`). */
  source: string;
}

/** The in-memory project: destination path (POSIX, relative) → file. */
export type FileTree = Map<string, FileEntry>;

export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

const TEXT_EXTENSIONS = /\.(ts|js|mjs|cjs|json|md|yml|yaml|txt|html|css|example|gitignore|nvmrc|sql)$|(^|\/)(Procfile|_gitignore|\.nvmrc|_nvmrc)$/;

export function isText(path: string): boolean {
  return TEXT_EXTENSIONS.test(path);
}

/** Template names that npm or git would treat specially are stored with a leading underscore. */
function destinationName(path: string): string {
  return path
    .split('/')
    .map((part) => (part === '_gitignore' ? '.gitignore' : part === '_nvmrc' ? '.nvmrc' : part === '_github' ? '.github' : part))
    .join('/');
}

/** Every file below `dir`, as [relative POSIX path, absolute path]; nothing when the folder does not exist. */
export function listFiles(dir: string): Array<[string, string]> {
  let stat;
  try {
    stat = statSync(dir);
  } catch {
    return [];
  }
  if (!stat.isDirectory()) return [];
  const out: Array<[string, string]> = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === '.DS_Store') continue;
      const full = join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.push([relative(dir, full).split(sep).join('/'), full]);
    }
  };
  walk(dir);
  return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Copy a template folder into the tree, substituting `{{projectName}}` in text files. */
export function addTemplateDir(
  tree: FileTree,
  dir: string,
  source: string,
  vars: Record<string, string>,
): void {
  for (const [rel, full] of listFiles(dir)) {
    const dest = destinationName(rel);
    const existing = tree.get(dest);
    if (existing) {
      throw new Error(`Template conflict: ${dest} comes from both ${existing.source} and ${source}.`);
    }
    let contents = readFileSync(full);
    if (isText(rel)) {
      let text = contents.toString('utf8');
      for (const [key, value] of Object.entries(vars)) text = text.replaceAll(`{{${key}}}`, value);
      contents = Buffer.from(text, 'utf8');
    }
    const executable = (statSync(full).mode & 0o111) !== 0;
    tree.set(dest, { contents, tier: 'seeded', source, ...(executable ? { executable } : {}) });
  }
}

export function setFile(tree: FileTree, path: string, text: string, tier: Tier, source = 'engine'): void {
  tree.set(path, { contents: Buffer.from(text, 'utf8'), tier, source });
}
