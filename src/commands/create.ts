import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type Answers, AUTH_STYLES, DATABASES, DEFAULTS, expectOneOf, FEATURES, FRAMEWORKS, parseFeatures, validateAnswers,
  validateProjectName, combinationProblem,
} from '../engine/answers.js';
import { create, detectPackageManager } from '../engine/create.js';
import { CliError } from '../engine/errors.js';
import { plan } from '../engine/plan.js';
import { bold, dim, green } from '../output.js';

export const CREATE_HELP = `Usage: npm create secure-api@latest [directory] -- [options]
       create-secure-api [directory] [options]

Creates a hardened, tested API project. Asks for what is missing when run in a terminal;
without a terminal (CI) every choice must come from a flag or --yes.

Options:
  --framework <name>   ${FRAMEWORKS.join(' | ')} (default ${DEFAULTS.framework})
  --auth <style>       ${AUTH_STYLES.join(' | ')} (default ${DEFAULTS.auth})
  --database <engine>  ${DATABASES.join(' | ')} (default ${DEFAULTS.database})
  --features <list>    comma list of ${FEATURES.join(', ')}; or all | none (default all)
  --name <name>        package name (default: the directory's name)
  -y, --yes            take the defaults for every choice not given
  --dry-run            print the plan (files, dependencies, checklist IDs); write nothing
  --no-install         do not install dependencies
  --no-git             do not create a git repository
  --force              write into a non-empty directory (same-named files are replaced)
  -h, --help           print this help
  -v, --version        print the version

Inside a generated project:
  secure-api generate <feature>                      add waf, uploads, websocket, docs, metrics or redis
  secure-api generate resource <name> --fields f:type,...   add a resource with its migration and tests
  secure-api check [--json | --sarif]                verify drift and security controls (CI)
`;

interface CreateFlags {
  directory?: string;
  name?: string;
  framework?: string;
  auth?: string;
  database?: string;
  features?: string;
  yes: boolean;
  dryRun: boolean;
  install?: boolean;
  git?: boolean;
  force: boolean;
  generatorSpec?: string;
}

export function parseCreateFlags(argv: string[]): CreateFlags {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        name: { type: 'string' },
        framework: { type: 'string' },
        auth: { type: 'string' },
        database: { type: 'string' },
        features: { type: 'string' },
        yes: { type: 'boolean', short: 'y' },
        'dry-run': { type: 'boolean' },
        install: { type: 'boolean' },
        'no-install': { type: 'boolean' },
        git: { type: 'boolean' },
        'no-git': { type: 'boolean' },
        force: { type: 'boolean' },
        // For the generator's own end-to-end tests: how the project depends on the generator (a tarball path).
        'generator-spec': { type: 'string' },
      },
    });
  } catch (error) {
    throw new CliError('usage_bad_flag', (error as Error).message.replace(/\. To specify.*$/s, '.'), 'Run with --help for the options.');
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new CliError('usage_extra_argument', `Unexpected argument "${positionals[1]}": give one directory.`);
  const v = values;
  return {
    directory: positionals[0],
    name: v.name,
    framework: v.framework,
    auth: v.auth,
    database: v.database,
    features: v.features,
    yes: v.yes ?? false,
    dryRun: v['dry-run'] ?? false,
    install: v['no-install'] ? false : v.install,
    git: v['no-git'] ? false : v.git,
    force: v.force ?? false,
    generatorSpec: v['generator-spec'],
  };
}

/** Validate what the flags already say, before any prompt, so a bad flag fails fast. */
function checkGivenFlags(flags: CreateFlags): void {
  if (flags.framework !== undefined) expectOneOf('framework', FRAMEWORKS, flags.framework);
  if (flags.auth !== undefined) expectOneOf('auth', AUTH_STYLES, flags.auth);
  if (flags.database !== undefined) expectOneOf('database', DATABASES, flags.database);
  if (flags.features !== undefined) parseFeatures(flags.features);
  if (flags.name !== undefined) {
    const problem = validateProjectName(flags.name);
    if (problem) throw new CliError('usage_invalid_name', problem);
  }
}

function missingChoicesError(missing: string[]): CliError {
  const lines = missing.map((m) => {
    if (m === 'directory') return '  <directory>  (the first argument)';
    const values = m === 'framework' ? FRAMEWORKS : m === 'auth' ? AUTH_STYLES : m === 'database' ? DATABASES : [...FEATURES, 'all', 'none'];
    return `  --${m} ${values.join(' | ')}`;
  });
  return new CliError('usage_missing_choice', `No terminal to ask in, and these choices are missing:\n${lines.join('\n')}`, 'Pass them as flags, or --yes for the defaults.');
}

async function resolveAnswers(flags: CreateFlags, interactive: boolean): Promise<{ answers: Answers; directory: string; install: boolean; git: boolean }> {
  checkGivenFlags(flags);
  const given = {
    directory: flags.directory,
    framework: flags.framework,
    auth: flags.auth,
    database: flags.database,
    features: flags.features === undefined ? undefined : parseFeatures(flags.features),
  };
  if (flags.yes || !interactive) {
    const missing = flags.yes ? (given.directory ? [] : ['directory']) : Object.entries(given).filter(([, v]) => v === undefined).map(([k]) => k);
    if (missing.length) throw missingChoicesError(missing);
    const directory = given.directory as string;
    const answers: Answers = {
      projectName: flags.name ?? basename(resolve(directory)),
      framework: (given.framework ?? DEFAULTS.framework) as Answers['framework'],
      auth: (given.auth ?? DEFAULTS.auth) as Answers['auth'],
      database: (given.database ?? DEFAULTS.database) as Answers['database'],
      features: given.features ?? [...DEFAULTS.features],
    };
    // With --yes and --database none, the default auth (jwt) cannot work: pick the closest that can.
    if (flags.yes && flags.auth === undefined && combinationProblem(answers)) answers.auth = 'api-key';
    return { answers: validateAnswers(answers), directory, install: flags.install ?? true, git: flags.git ?? true };
  }
  const { askForAnswers } = await import('./prompts.js');
  return askForAnswers(flags, given);
}

export async function runCreate(argv: string[], io: { interactive: boolean; out: (s: string) => void }): Promise<number> {
  const flags = parseCreateFlags(argv);
  const { answers, directory, install, git } = await resolveAnswers(flags, io.interactive);
  const target = resolve(directory);
  if (flags.dryRun) {
    const p = plan(answers, { generatorSpec: flags.generatorSpec });
    io.out(`${bold('Plan')} for ${target} ${dim('(dry run: nothing written)')}`);
    io.out(`  framework ${answers.framework}, auth ${answers.auth}, database ${answers.database}, features ${answers.features.join(', ') || 'none'}`);
    io.out(`\n${bold('Files')} (${p.files.size})`);
    for (const [path, entry] of [...p.files].sort(([a], [b]) => (a < b ? -1 : 1))) io.out(`  ${path}${entry.tier === 'seeded' ? '' : dim(` (${entry.tier})`)}`);
    io.out(`\n${bold('Dependencies')}`);
    for (const [name, version] of Object.entries(p.dependencies)) io.out(`  ${name} ${version}`);
    io.out(`${bold('Dev dependencies')}`);
    for (const [name, version] of Object.entries(p.devDependencies)) io.out(`  ${name} ${version}`);
    io.out(`\n${bold('Checklist')} ${p.checklist.join(' ')}`);
    return 0;
  }
  const started = Date.now();
  await create({
    answers,
    directory: target,
    force: flags.force,
    install,
    git,
    packageManager: detectPackageManager(),
    generatorSpec: flags.generatorSpec,
    log: (line) => io.out(dim(line)),
  });
  io.out(`${green('✔')} Created ${bold(answers.projectName)} in ${target} ${dim(`(${((Date.now() - started) / 1000).toFixed(1)} s)`)}`);
  io.out(`\nNext:\n  cd ${directory}${install ? '' : '\n  npm install'}\n  cp .env.example .env\n  npm run dev\n  npm test`);
  return 0;
}
