import { parseArgs } from 'node:util';
import { FEATURES } from '../engine/answers.js';
import { CliError } from '../engine/errors.js';
import type { GenerateResult } from '../engine/generate.js';
import { FIELD_TYPES } from '../engine/resource/spec.js';
import { bold, dim, green, yellow } from '../output.js';

export const HELP = `Usage: secure-api generate <feature> [--dry-run] [--dir <project>]
       secure-api generate resource <name> --fields title:string,done:boolean [--dry-run] [--dir <project>]

Run inside a project made by create-secure-api (or point --dir at one).

  <feature>        ${FEATURES.join(', ')}
  resource <name>  an owner-scoped CRUD resource under /api/v1/<name>: schemas, migration, repository,
                   routes, tests; registered in src/app-modules.ts. Needs a database.
  --fields <list>  name:type pairs; types: ${FIELD_TYPES.join(', ')}; append ? for optional (notes:text?)
  --dry-run        print the unified diff of what would change; write nothing
  --dir <path>     the project (default: the current directory)

Files you edited are never overwritten: generate reports them and keeps yours. Running it twice changes
nothing the second time.`;

export async function runGenerate(argv: string[], io: { out: (s: string) => void }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { 'dry-run': { type: 'boolean' }, dir: { type: 'string' }, fields: { type: 'string' } },
    });
  } catch (error) {
    throw new CliError('usage_bad_flag', (error as Error).message.replace(/\. To specify.*$/s, '.'), 'Run secure-api generate --help.');
  }
  const { values, positionals } = parsed;
  const [what, name, extra] = positionals;
  const dryRun = values['dry-run'] ?? false;
  if (what === undefined) throw new CliError('usage_missing_argument', `Say what to generate: ${FEATURES.join(', ')}, or resource <name>.`, 'Run secure-api generate --help.');
  const engine = await import('../engine/generate.js');
  if (what === 'resource') {
    if (name === undefined) throw new CliError('usage_missing_argument', 'Give the resource a name: secure-api generate resource <name> --fields title:string');
    if (extra !== undefined) throw new CliError('usage_extra_argument', `Unexpected argument "${extra}".`);
    const { generateResource } = await import('../engine/resource/generate.js');
    const result = await generateResource({ dir: values.dir, name, fields: values.fields ?? '', dryRun });
    return print(result, io, `resource ${name}`);
  }
  if (name !== undefined) throw new CliError('usage_extra_argument', `Unexpected argument "${name}": add one feature at a time.`);
  if (values.fields !== undefined) throw new CliError('usage_bad_flag', '--fields is for: generate resource <name> --fields ...');
  const result = engine.generateFeature({ dir: values.dir, feature: what, dryRun });
  return print(result, io, `feature ${what}`);
}

function print(result: GenerateResult, io: { out: (s: string) => void }, what: string): number {
  if (result.alreadyPresent) {
    io.out(`${green('✔')} The ${what} is already in this project: nothing to do.`);
    return 0;
  }
  if (result.dirty) io.out(`${yellow('!')} Your git tree has uncommitted changes: commit or stash them first if you want to review this change on its own.`);
  if (result.dryRun) {
    io.out(`${bold('Dry run')} for ${what} ${dim('(nothing written)')}\n`);
    io.out(result.diff || dim('(no changes)'));
  }
  const verb = result.dryRun ? 'would ' : '';
  for (const c of result.changes) io.out(`  ${c.action === 'create' ? green('+') : yellow('~')} ${c.path} ${dim(`(${verb}${c.reason})`)}`);
  for (const k of result.kept) io.out(`  ${yellow('=')} ${k.path} ${dim(`(${k.reason})`)}`);
  if (result.kept.some((k) => k.reason.startsWith('edited') || k.reason.startsWith('exists'))) {
    io.out(`${yellow('!')} Some files are yours and were kept; run again with --dry-run to see what the generator would write there.`);
  }
  if (result.dryRun) return 0;
  io.out(`${green('✔')} Added the ${what}: ${result.changes.length} file(s) written.`);
  if (result.needsInstall) io.out(`\nNext: ${bold('npm install')} (package.json changed), then npm test and npx secure-api check.`);
  else io.out('\nNext: npm test and npx secure-api check.');
  return 0;
}
