import { join } from 'node:path';
import { envVars } from '../render/env-example.js';
import type { Plan } from '../plan.js';
import { readText } from '../project.js';
import { type Findings, lineAt } from './finding.js';

const EXACT = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** Where `"name":` sits in package.json, for the finding's line. */
function lineOfKey(text: string, section: string, name: string): number {
  const start = text.indexOf(`"${section}"`);
  const at = text.indexOf(`"${name}"`, start === -1 ? 0 : start);
  return at === -1 ? 1 : lineAt(text, at);
}

/** package.json (merged): declared dependencies present and pinned exactly (C26), scripts (C31, C29), Node line (C25). */
export function checkPackageJson(dir: string, plan: Plan, findings: Findings): void {
  const file = 'package.json';
  const text = readText(join(dir, file));
  if (text === undefined) {
    findings.error('G6', file, 1, 'package.json is missing.', 'Restore it from git.');
    return;
  }
  let pkg: { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; scripts?: Record<string, string>; engines?: { node?: string } };
  try {
    pkg = JSON.parse(text);
  } catch {
    findings.error('G6', file, 1, 'package.json is not valid JSON.', 'Fix the syntax.');
    return;
  }
  const deps = pkg.dependencies ?? {};
  const devDeps = pkg.devDependencies ?? {};
  for (const [name, version] of Object.entries(deps)) {
    if (!EXACT.test(version)) {
      findings.error('C26', file, lineOfKey(text, 'dependencies', name), `dependencies.${name} is "${version}", not an exact version: installs can drift to versions nobody reviewed.`, `Pin it: "${name}": "${version.replace(/^[\^~>=<\s]+/, '')}" (and commit package-lock.json).`);
    }
  }
  for (const [name, version] of Object.entries(devDeps)) {
    if (/^[\^~]/.test(version)) {
      findings.warning('C26', file, lineOfKey(text, 'devDependencies', name), `devDependencies.${name} is "${version}", a range.`, `Pin it: "${name}": "${version.slice(1)}".`);
    }
  }
  for (const [name, version] of Object.entries(plan.dependencies)) {
    if (!(name in deps)) {
      const where = name in devDeps ? ' (it is in devDependencies, which production installs skip)' : '';
      findings.error('G6', file, lineOfKey(text, 'dependencies', 'dependencies'), `The dependency ${name} is missing${where}; the generated code needs it.`, `Add "${name}": "${version}" to dependencies, then npm install.`);
    }
  }
  for (const [name, version] of Object.entries(plan.devDependencies)) {
    if (name === 'create-secure-api') continue;
    if (!(name in devDeps) && !(name in deps)) {
      findings.warning('G6', file, lineOfKey(text, 'devDependencies', 'devDependencies'), `The dev dependency ${name} is missing.`, `Add "${name}": "${version}" to devDependencies.`);
    }
  }
  const scripts = pkg.scripts ?? {};
  if (!/npm audit/.test(scripts.audit ?? '')) {
    findings.error('C31', file, lineOfKey(text, 'scripts', 'audit'), 'The audit script no longer runs npm audit.', 'Restore "audit": "npm audit --omit=dev --audit-level=high && npm audit signatures".');
  }
  if (!scripts.test) findings.error('C29', file, lineOfKey(text, 'scripts', 'scripts'), 'There is no test script: the security tests do not run.', 'Restore "test": "vitest run".');
  const nodeLine = pkg.engines?.node;
  const nvmrc = readText(join(dir, '.nvmrc'))?.trim();
  if (!nodeLine) findings.error('C25', file, 1, 'engines.node is not set: the runtime is not pinned.', 'Set "engines": { "node": "24.x" }.');
  if (!nvmrc) findings.error('C25', '.nvmrc', 1, '.nvmrc is missing or empty.', 'Write the Node major (24) into .nvmrc.');
  if (nodeLine && nvmrc && nodeLine.replace(/^\D*/, '').split('.')[0] !== nvmrc.replace(/^v/, '').split('.')[0]) {
    findings.error('C25', '.nvmrc', 1, `.nvmrc (${nvmrc}) and engines.node (${nodeLine}) disagree.`, 'Use the same Node major in both.');
  }
}

/** Names that hold secrets: containing SECRET or PASSWORD, or ending in TOKEN, KEY or KEYS (not ..._TOKEN_TTL). */
export function isSecretName(name: string): boolean {
  return /SECRET|PASSWORD|PASSWD|PRIVATE_KEY/.test(name) || /(TOKEN|KEY|KEYS|CREDENTIALS)$/.test(name);
}

/** An obvious placeholder, not a value: empty, <...>, changeme, xxx, your-..., example... */
export function isPlaceholder(value: string): boolean {
  const v = value.trim().replace(/^["']|["']$/g, '');
  return v === '' || /^(<[^>]*>|\$\{?[A-Z_]+\}?|change[-_]?me.*|replace[-_]?me.*|x{3,}|\.{3}|\*+|your[-_].*|example.*|placeholder.*|todo|secret|none|null)$/i.test(v);
}

/** .env.example (merged): every declared variable present, no secret values (C22); .env git-ignored. */
export function checkEnvExample(dir: string, plan: Plan, findings: Findings): void {
  const file = '.env.example';
  const text = readText(join(dir, file));
  if (text === undefined) {
    findings.warning('G6', file, 1, '.env.example is missing.', 'Restore it from git: it documents every setting.');
  } else {
    const present = new Map<string, { value: string; line: number }>();
    text.split(/\r?\n/).forEach((line, i) => {
      const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
      if (m) present.set(m[1]!, { value: m[2]!.trim(), line: i + 1 });
    });
    for (const [name, { value, line }] of present) {
      if (isSecretName(name) && !isPlaceholder(value)) {
        findings.error('C22', file, line, `${name} has a value in .env.example, which is committed: a secret there is a leaked secret.`, `Leave it empty (${name}=) and rotate the value if it was ever real; set secrets as platform config vars.`);
      }
      const url = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:([^@\s]+)@/i.exec(value.replace(/^["']|["']$/g, ''));
      if (url && !isPlaceholder(decodeURIComponent(url[1]!))) {
        findings.error('C22', file, line, `${name} holds a URL with a password in .env.example.`, 'Remove the password from the example URL (use a placeholder like <password>), and rotate it if it was real.');
      }
    }
    for (const v of envVars(plan.units)) {
      if (!present.has(v.name)) {
        findings.warning('G6', file, 1, `${v.name} is read by the server but missing from .env.example.`, `Add "${v.name}=${v.secret ? '' : v.example}" with its comment (# ${v.description}).`);
      }
    }
  }
  const ignore = readText(join(dir, '.gitignore'));
  const ignored = ignore?.split(/\r?\n/).some((l) => /^\/?\.env\*?$/.test(l.trim()));
  if (!ignored) {
    findings.error('C22', '.gitignore', 1, '.env is not git-ignored: local secrets can be committed.', 'Add `.env` and `.env.*` (with `!.env.example`) to .gitignore.');
  }
}

/** Procfile (C24): web starts the built server; release migrates when there is a database. */
export function checkProcfile(dir: string, plan: Plan, findings: Findings): void {
  const text = readText(join(dir, 'Procfile'));
  if (text === undefined) {
    findings.error('C24', 'Procfile', 1, 'Procfile is missing: Heroku does not know how to start the app.', 'Restore it: `web: node dist/server.js`.');
    return;
  }
  if (!/^web:\s*\S/m.test(text)) findings.error('C24', 'Procfile', 1, 'Procfile has no web: process.', 'Add `web: node dist/server.js`.');
  if (plan.answers.database !== 'none' && !/^release:\s*\S/m.test(text)) {
    findings.error('C24', 'Procfile', 1, 'Procfile has no release: phase, so migrations do not run on deploy.', 'Add `release: node dist/db/migrate.js`.');
  }
}
