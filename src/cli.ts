import { runAbortHandlers } from './engine/cleanup.js';
import { CliError } from './engine/errors.js';
import { GENERATOR_VERSION } from './engine/version.js';
import { red, yellow } from './output.js';

/**
 * The one entry of both bins. `create-secure-api …` creates a project; `secure-api generate|check …`
 * works inside one. Errors are caught here only: one line (and a hint), exit 2 for usage, 130 for Ctrl-C.
 */
export async function main(argv: string[]): Promise<number> {
  const out = (s: string) => process.stdout.write(`${s}\n`);
  const [command, ...rest] = argv;
  if (argv.includes('--version') || argv.includes('-v')) {
    out(GENERATOR_VERSION);
    return 0;
  }
  if (command === 'generate' || command === 'g') {
    if (rest.includes('--help') || rest.includes('-h')) return help(out, 'generate');
    const { runGenerate } = await import('./commands/generate.js');
    return runGenerate(rest, { out });
  }
  if (command === 'check') {
    if (rest.includes('--help') || rest.includes('-h')) return help(out, 'check');
    const { runCheck } = await import('./commands/check.js');
    return runCheck(rest, { out });
  }
  const createArgs = command === 'create' ? rest : argv;
  const { runCreate, CREATE_HELP } = await import('./commands/create.js');
  if (createArgs.includes('--help') || createArgs.includes('-h')) {
    out(CREATE_HELP);
    return 0;
  }
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true && !process.env.CI;
  return runCreate(createArgs, { interactive, out });
}

async function help(out: (s: string) => void, which: 'generate' | 'check'): Promise<number> {
  const mod = which === 'generate' ? await import('./commands/generate.js') : await import('./commands/check.js');
  out(mod.HELP);
  return 0;
}

export function report(error: unknown): number {
  if (error instanceof CliError) {
    process.stderr.write(`${red('✖')} ${error.message}\n`);
    if (error.hint) process.stderr.write(`  ${yellow(error.hint)}\n`);
    return error.exitCode;
  }
  process.stderr.write(`${red('✖')} Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}

export function installSignalHandlers(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      runAbortHandlers();
      process.stderr.write('\nCancelled: nothing was written.\n');
      process.exit(130);
    });
  }
}
