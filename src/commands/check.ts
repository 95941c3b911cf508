import { CliError } from '../engine/errors.js';

export const HELP = `Usage: secure-api check [--json | --sarif] [--dir <project>]

Re-plans the project from .secure-api.json and verifies managed files and security controls.`;

export async function runCheck(_argv: string[], _io: { out: (s: string) => void }): Promise<number> {
  throw new CliError('not_ready', 'check is not available in this build.');
}
