import { CliError } from '../engine/errors.js';
import { eolOf, indentAt, loadTsMorph, parse, splice } from './ts-morph.js';

export const APP_MODULES_FILE = 'src/app-modules.ts';

export interface AppModuleEntry {
  /** Import specifier relative to src/app-modules.ts, e.g. `./resources/books/module.js`. */
  importPath: string;
  /** Local name of the imported `module`, e.g. `booksModule`. */
  identifier: string;
}

function missing(entry: AppModuleEntry, what: string): CliError {
  return new CliError(
    'edit_anchor_missing',
    `${APP_MODULES_FILE}: ${what}, so the new module cannot be registered automatically.`,
    `Add by hand: \`import { module as ${entry.identifier} } from '${entry.importPath}';\` at the top, and \`${entry.identifier}\` in \`export const appModules: Module[] = [...]\`.`,
  );
}

/**
 * Register a module in `src/app-modules.ts` (the user's list, run after the registry's modules): add its import
 * after the last import and its identifier at the end of the `appModules` array. Pure and idempotent: the text
 * is spliced into the original source (formatting, comments and CRLF kept), and a module already imported and
 * listed leaves the source unchanged. A missing anchor is an error that says what to add by hand.
 */
export async function addAppModule(source: string, entry: AppModuleEntry): Promise<string> {
  const { Node, SyntaxKind } = await loadTsMorph();
  const file = await parse(APP_MODULES_FILE, source);
  const eol = eolOf(source);
  const declaration = file.getVariableDeclaration('appModules');
  if (!declaration) throw missing(entry, 'there is no `appModules` declaration');
  let init = declaration.getInitializer();
  while (init && (Node.isAsExpression(init) || Node.isSatisfiesExpression(init) || Node.isParenthesizedExpression(init))) init = init.getExpression();
  if (!init || !Node.isArrayLiteralExpression(init)) throw missing(entry, '`appModules` is not initialised with an array literal `[...]`');

  const edits: Array<{ at: number; remove?: number; text: string }> = [];

  // The import: reuse an existing one of the same file (whatever the user named it).
  let identifier = entry.identifier;
  const existing = file.getImportDeclarations().find((d) => d.getModuleSpecifierValue() === entry.importPath);
  const named = existing?.getNamedImports().find((n) => n.getName() === 'module');
  if (named) {
    identifier = named.getAliasNode()?.getText() ?? 'module';
  } else if (existing) {
    throw missing(entry, `'${entry.importPath}' is imported without its \`module\` export`);
  } else {
    const statement = `import { module as ${identifier} } from '${entry.importPath}';`;
    const imports = file.getImportDeclarations();
    const last = imports[imports.length - 1];
    if (last) edits.push({ at: last.getEnd(), text: `${eol}${statement}` });
    else {
      const first = file.getStatements()[0];
      edits.push({ at: first ? first.getStart(true) : 0, text: `${statement}${eol}${eol}` });
    }
  }

  // The array element.
  const elements = init.getElements();
  if (!elements.some((e) => e.getText() === identifier)) {
    const open = init.getStart() + 1;
    const close = init.getEnd() - 1;
    const last = elements[elements.length - 1];
    if (!last) {
      const inner = source.slice(open, close);
      if (inner.includes('\n')) {
        // `[\n]` (maybe with a comment inside): a new line before the closing bracket's line.
        let lineBreak = open + inner.lastIndexOf('\n');
        if (source[lineBreak - 1] === '\r') lineBreak -= 1;
        edits.push({ at: lineBreak, text: `${eol}${indentAt(source, init.getStart())}  ${identifier},` });
      } else {
        const at = open + inner.trimEnd().length;
        edits.push({ at, text: inner.trim() === '' ? identifier : ` ${identifier}` });
      }
    } else {
      const multiline = source.slice(open, elements[0]!.getStart()).includes('\n');
      const trailingComma = init.compilerNode.elements.hasTrailingComma;
      const commaEnd = trailingComma ? (last.getNextSiblingIfKind(SyntaxKind.CommaToken)?.getEnd() ?? last.getEnd() + 1) : last.getEnd();
      if (multiline) {
        const indent = indentAt(source, last.getStart());
        // After a comment that ends the last element's line (`a, // why`), so the comment stays with its element.
        let lineEnd = source.indexOf('\n', commaEnd);
        if (lineEnd === -1) lineEnd = source.length;
        if (source[lineEnd - 1] === '\r') lineEnd -= 1;
        const rest = source.slice(commaEnd, lineEnd);
        const at = /^\s*(\/\/.*|\/\*.*\*\/\s*)?$/.test(rest) ? lineEnd : commaEnd;
        if (!trailingComma) edits.push({ at: last.getEnd(), text: ',' });
        edits.push({ at, text: `${eol}${indent}${identifier}${trailingComma ? ',' : ''}` });
      } else {
        edits.push({ at: commaEnd, text: trailingComma ? ` ${identifier},` : `, ${identifier}` });
      }
    }
  }
  return edits.length ? splice(source, edits) : source;
}

/** Is the module imported from `importPath` listed in `appModules`? (for `check`) */
export async function isAppModuleRegistered(source: string, importPath: string): Promise<boolean> {
  const { Node } = await loadTsMorph();
  const file = await parse(APP_MODULES_FILE, source);
  const named = file
    .getImportDeclarations()
    .find((d) => d.getModuleSpecifierValue() === importPath)
    ?.getNamedImports()
    .find((n) => n.getName() === 'module');
  if (!named) return false;
  const identifier = named.getAliasNode()?.getText() ?? 'module';
  let init = file.getVariableDeclaration('appModules')?.getInitializer();
  while (init && (Node.isAsExpression(init) || Node.isSatisfiesExpression(init) || Node.isParenthesizedExpression(init))) init = init.getExpression();
  return !!init && Node.isArrayLiteralExpression(init) && init.getElements().some((e) => e.getText() === identifier);
}
