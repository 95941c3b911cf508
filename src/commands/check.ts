import { parseArgs } from 'node:util';
import { CliError } from '../engine/errors.js';
import { bold, dim, green, red, yellow } from '../output.js';

export const HELP = `Usage: secure-api check [--json | --sarif] [--dir <project>]

Re-plans the project from .secure-api.json and verifies, reading files only (no install needed):
  - managed files (src/registry.ts, src/preload.ts, .secure-api.json, SECURITY.md) byte for byte (G6)
  - generated files still present; declared dependencies present and pinned exactly (C26); env keys
    documented and no secret values in .env.example (C22)
  - the controls in your code, with ts-morph: the edge pipeline in front of the routes, header values (C20),
    no CORS * (C01), timeouts (C15) and body limit (C27), login rate limits (C12), settings validated at
    boot (C21), bounded pagination (C04), resources registered and authenticated
  - no private keys, cloud keys or secret assignments in committed files (C22)

  --json         findings as JSON: {severity, checklistId, file, line, message, fix}
  --sarif        SARIF 2.1.0 for code-scanning upload (github/codeql-action/upload-sarif)
  --dir <path>   the project (default: the current directory)

Exit 1 on any error-level finding, 0 when clean.`;

export async function runCheck(argv: string[], io: { out: (s: string) => void }): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: { json: { type: 'boolean' }, sarif: { type: 'boolean' }, dir: { type: 'string' } },
    }));
  } catch (error) {
    throw new CliError('usage_bad_flag', (error as Error).message.replace(/\. To specify.*$/s, '.'), 'Run secure-api check --help.');
  }
  if (values.json && values.sarif) throw new CliError('usage_bad_flag', 'Pick one of --json and --sarif.');
  const { check } = await import('../engine/check/index.js');
  const format = await import('../engine/check/format.js');
  const report = await check({ dir: values.dir });
  if (values.json) io.out(format.formatJson(report));
  else if (values.sarif) io.out(format.formatSarif(report));
  else io.out(format.formatHuman(report, { red, yellow, dim, green, bold }));
  return report.errors > 0 ? 1 : 0;
}
