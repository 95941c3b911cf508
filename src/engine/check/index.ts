import { plan } from '../plan.js';
import { readProject } from '../project.js';
import { checkEnvExample, checkPackageJson, checkProcfile } from './config.js';
import { checkControls } from './controls.js';
import { checkPlannedFiles } from './files.js';
import { type CheckReport, Findings } from './finding.js';
import { checkSecrets, committedFiles } from './secrets.js';

export type { CheckReport, Finding, Severity } from './finding.js';

const ORDER = { error: 0, warning: 1, note: 2 } as const;

/**
 * `secure-api check` (G6): re-plan the project from `.secure-api.json`, then compare and inspect. Reads files
 * only (no install, no network): managed files byte for byte, seeded files present, merged files' declared keys
 * and pins, the security controls in user-owned code (ts-morph), and secrets in committed files.
 */
export async function check(options: { dir?: string } = {}): Promise<CheckReport> {
  const started = performance.now();
  const project = readProject(options.dir);
  const p = plan(project.answers, project.planOptions);
  const findings = new Findings();
  let filesChecked = checkPlannedFiles(project.dir, p, findings);
  checkPackageJson(project.dir, p, findings);
  checkEnvExample(project.dir, p, findings);
  checkProcfile(project.dir, p, findings);
  const committed = committedFiles(project.dir);
  const sources = committed.filter((f) => f.startsWith('src/') && f.endsWith('.ts') && !f.endsWith('.d.ts'));
  filesChecked += await checkControls(project.dir, p, project.resources, findings, sources);
  filesChecked += checkSecrets(project.dir, findings, committed);
  const list = findings.list.sort(
    (a, b) => ORDER[a.severity] - ORDER[b.severity] || a.file.localeCompare(b.file) || a.line - b.line || a.checklistId.localeCompare(b.checklistId),
  );
  return {
    dir: project.dir,
    findings: list,
    errors: list.filter((f) => f.severity === 'error').length,
    warnings: list.filter((f) => f.severity === 'warning').length,
    filesChecked,
    ms: Math.round(performance.now() - started),
  };
}
