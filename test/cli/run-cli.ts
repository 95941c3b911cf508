import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BIN = resolve(import.meta.dirname, '../../bin/create-secure-api.js');

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'csa-cli-'));
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI as a user would, without a TTY (stdin closed, output piped). */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string>; onStdout?: (text: string, kill: (signal: NodeJS.Signals) => void) => void } = {}): Promise<CliRun> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? tempDir(),
      env: { ...process.env, CI: 'true', NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      options.onStdout?.(stdout, (signal) => child.kill(signal));
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('exit', (code) => resolvePromise({ code, stdout, stderr }));
  });
}
