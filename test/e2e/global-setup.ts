import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { E2E_DIR, REPO } from './harness.js';

/** Pack the generator once, as npm would publish it; generated projects depend on this tarball. */
export default function setup(): void {
  mkdirSync(E2E_DIR, { recursive: true });
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', E2E_DIR], { cwd: REPO, encoding: 'utf8' }).trim().split('\n').pop() as string;
  renameSync(join(E2E_DIR, name), join(E2E_DIR, 'create-secure-api.tgz'));
}
