/**
 * The one error type of the generator. Thrown anywhere, caught once in cli.ts, printed as one line
 * (plus a hint), with an exit code: 2 for usage errors, 1 otherwise.
 */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
    readonly exitCode = code.startsWith('usage') ? 2 : 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
