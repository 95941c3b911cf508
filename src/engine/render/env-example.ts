import type { EnvVar, Unit } from '../unit.js';

/** Every variable the units read, once each, in unit order (first declaration wins). */
export function envVars(units: readonly Unit[]): Array<EnvVar & { unit: string }> {
  const seen = new Set<string>();
  const out: Array<EnvVar & { unit: string }> = [];
  for (const unit of units) {
    for (const v of unit.env ?? []) {
      if (seen.has(v.name)) continue;
      seen.add(v.name);
      out.push({ ...v, unit: unit.title });
    }
  }
  return out;
}

/** .env.example (C22): every variable with a safe example; secrets are left empty. */
export function renderEnvExample(units: readonly Unit[]): string {
  const lines = [
    '# Copy to .env for local development (.env is git-ignored and read only outside production).',
    '# In production set these as platform config vars (heroku config:set NAME=value). Secrets are left empty here.',
  ];
  let section = '';
  for (const v of envVars(units)) {
    if (v.unit !== section) {
      section = v.unit;
      lines.push('', `# --- ${section}`);
    }
    lines.push(`# ${v.description}`, `${v.name}=${v.secret ? '' : v.example}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Add the lines of variables missing from a user's .env.example, keeping everything the user wrote. */
export function mergeEnvExample(existing: string, units: readonly Unit[]): string {
  const present = new Set(
    existing
      .split(/\r?\n/)
      .map((line) => /^\s*([A-Z][A-Z0-9_]*)\s*=/.exec(line)?.[1])
      .filter((name): name is string => Boolean(name)),
  );
  const missing = envVars(units).filter((v) => !present.has(v.name));
  if (missing.length === 0) return existing;
  const added = missing.flatMap((v) => [`# ${v.description}`, `${v.name}=${v.secret ? '' : v.example}`]);
  return `${existing.replace(/\n*$/, '\n')}\n${added.join('\n')}\n`;
}
