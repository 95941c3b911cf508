import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles } from '../tree.js';
import { isPlaceholder } from './config.js';
import { type Findings, lineAt } from './finding.js';

/** Folders that are never committed (or not ours): skipped when there is no git to ask. */
const SKIP = /^(node_modules|dist|coverage|data|\.git)\//;

/**
 * The files that are (or would be) committed: `git ls-files` when the project is a git repository (tracked plus
 * untracked-but-not-ignored), otherwise every file minus the usual build output and the git-ignored `.env`.
 */
export function committedFiles(dir: string): string[] {
  if (existsSync(join(dir, '.git'))) {
    try {
      const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
      return out.toString('utf8').split('\0').filter(Boolean);
    } catch {
      // no git binary: fall through
    }
  }
  return listFiles(dir)
    .map(([rel]) => rel)
    .filter((rel) => !SKIP.test(rel) && !/(^|\/)\.env(\..*)?$/.test(rel.replace(/\.env\.example$/, 'x')));
}

const PATTERNS: Array<{ re: RegExp; what: string }> = [
  { re: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----/g, what: 'a private key' },
  { re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, what: 'an AWS access key id' },
  { re: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g, what: 'a GitHub token' },
  { re: /\b[rs]k_live_[0-9a-zA-Z]{20,}\b/g, what: 'a Stripe live key' },
  { re: /\bxox[abprs]-[0-9A-Za-z-]{10,}\b/g, what: 'a Slack token' },
];

/** `NAME=value` assignments (dotenv, shell, Procfile, YAML `- NAME=value`) of secret-named variables. */
const ASSIGNMENT = /(?:^|[\s'"`-])((?:[A-Z0-9_]*_)?(?:SECRET|PASSWORD|PASSWD|PRIVATE_KEY|API_KEY|ACCESS_KEY|AUTH_TOKEN|METRICS_TOKEN)(?:_[A-Z0-9_]*)?|JWT_SECRET|SESSION_SECRET)=([^\s'"`]*)/g;

/** C22: no secrets in committed files. */
export function checkSecrets(dir: string, findings: Findings, files = committedFiles(dir)): number {
  let scanned = 0;
  for (const rel of files) {
    const full = join(dir, rel);
    let size: number;
    try {
      const stat = statSync(full);
      if (!stat.isFile()) continue;
      size = stat.size;
    } catch {
      continue; // deleted but still in the index
    }
    if (size > 2 * 1024 * 1024) continue;
    const buffer = readFileSync(full);
    if (buffer.includes(0)) continue; // binary
    const text = buffer.toString('utf8');
    scanned++;
    for (const { re, what } of PATTERNS) {
      re.lastIndex = 0;
      const m = re.exec(text);
      if (m) {
        findings.error('C22', rel, lineAt(text, m.index), `${rel} contains ${what}.`, 'Remove it from the file and from git history (git filter-repo), rotate it, and load it from a platform config var instead.');
      }
    }
    ASSIGNMENT.lastIndex = 0;
    for (let m = ASSIGNMENT.exec(text); m; m = ASSIGNMENT.exec(text)) {
      const value = m[2]!;
      // `$(openssl rand …)`, `${VAR}` and empty values are instructions, not secrets.
      if (value.startsWith('$') || isPlaceholder(value) || value.length < 8) continue;
      findings.error('C22', rel, lineAt(text, m.index), `${rel} assigns a value to ${m[1]}.`, `Remove the value (set ${m[1]} as a platform config var, e.g. heroku config:set) and rotate it.`);
    }
  }
  return scanned;
}
