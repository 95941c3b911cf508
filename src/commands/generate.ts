import { CliError } from '../engine/errors.js';

export const HELP = `Usage: secure-api generate <feature> [--dry-run] [--force]
       secure-api generate resource <name> --fields title:string,done:boolean [--dry-run]

Run inside a project made by create-secure-api.`;

export async function runGenerate(_argv: string[], _io: { out: (s: string) => void }): Promise<number> {
  throw new CliError('not_ready', 'generate is not available in this build.');
}
