import { checklist } from '../../checklist.js';
import { GENERATOR_VERSION } from '../version.js';
import type { CheckReport, Finding } from './finding.js';

type Paint = (s: string) => string;

/** For people: one block per finding, then a summary line. */
export function formatHuman(report: CheckReport, paint: { red: Paint; yellow: Paint; dim: Paint; green: Paint; bold: Paint }): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    const mark = f.severity === 'error' ? paint.red('✖') : f.severity === 'warning' ? paint.yellow('!') : paint.dim('i');
    lines.push(`${mark} ${paint.bold(f.checklistId)} ${f.file}:${f.line}  ${f.message}`);
    lines.push(`    ${paint.dim('fix:')} ${f.fix}`);
  }
  if (lines.length) lines.push('');
  const summary = `${report.errors} error(s), ${report.warnings} warning(s); ${report.filesChecked} files checked in ${report.ms} ms.`;
  lines.push(report.errors === 0 ? `${paint.green('✔')} ${summary}` : `${paint.red('✖')} ${summary}`);
  return lines.join('\n');
}

export function formatJson(report: CheckReport): string {
  return JSON.stringify(report, null, 2);
}

function ruleText(id: string): string {
  return (checklist as Record<string, string>)[id] ?? id;
}

/** SARIF 2.1.0, for `github/codeql-action/upload-sarif` (code scanning): one rule per checklist ID. */
export function formatSarif(report: CheckReport): string {
  const ids = [...new Set(report.findings.map((f) => f.checklistId))].sort();
  const level = (f: Finding) => (f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'note');
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'secure-api check',
            version: GENERATOR_VERSION,
            semanticVersion: GENERATOR_VERSION,
            informationUri: 'https://www.npmjs.com/package/create-secure-api',
            rules: ids.map((id) => ({
              id,
              name: id,
              shortDescription: { text: `${id}: ${ruleText(id)}` },
              fullDescription: { text: `Checklist control ${id} (${ruleText(id)}) of the create-secure-api hardening checklist; see SECURITY.md.` },
              help: { text: 'See SECURITY.md in the project for where the control lives and which test proves it.' },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: report.findings.map((f) => ({
          ruleId: f.checklistId,
          ruleIndex: ids.indexOf(f.checklistId),
          level: level(f),
          message: { text: `${f.message} Fix: ${f.fix}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file, uriBaseId: '%SRCROOT%' },
                region: { startLine: f.line },
              },
            },
          ],
          partialFingerprints: { checklistFinding: `${f.checklistId}:${f.file}:${f.message}` },
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}
