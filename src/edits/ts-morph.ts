import { CliError } from '../engine/errors.js';

type TsMorph = typeof import('ts-morph');

let loaded: Promise<TsMorph> | undefined;

/**
 * ts-morph is loaded only by `generate` and `check` (never by `create`, which must start fast). It is a
 * devDependency of every generated project and an optional peer of the generator.
 */
export function loadTsMorph(): Promise<TsMorph> {
  loaded ??= import('ts-morph').catch(() => {
    loaded = undefined;
    throw new CliError('missing_ts_morph', 'This command needs ts-morph, which is not installed.', 'Run npm install (generated projects list ts-morph in devDependencies), or npm i -D ts-morph@28.0.0.');
  });
  return loaded;
}

/** A syntax tree for `source` (no type checking, no file system): what every edit and control check reads. */
let project: import('ts-morph').Project | undefined;

export async function parse(fileName: string, source: string) {
  const { Project } = await loadTsMorph();
  project ??= new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true, compilerOptions: { allowJs: true } });
  return project.createSourceFile(`/${fileName.replace(/^\/+/, '')}`, source, { overwrite: true });
}

/** The line ending a file already uses, so inserted text matches it. */
export function eolOf(source: string): string {
  return source.includes('\r\n') ? '\r\n' : '\n';
}

/**
 * Apply splices (positions in the original string) from the last to the first. Two insertions at the same
 * position come out in the order they were given.
 */
export function splice(source: string, edits: Array<{ at: number; remove?: number; text: string }>): string {
  let out = source;
  const ordered = edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.at - a.at || b.i - a.i);
  for (const e of ordered) out = out.slice(0, e.at) + e.text + out.slice(e.at + (e.remove ?? 0));
  return out;
}

/** The whitespace at the start of the line that holds `pos`. */
export function indentAt(source: string, pos: number): string {
  const lineStart = source.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(source.slice(lineStart))?.[0] ?? '';
}
