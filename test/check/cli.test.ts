import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/commands/check.js';
import { runGenerate } from '../../src/commands/generate.js';
import { cleanup, project } from '../generate/helpers.js';

afterAll(cleanup, 120_000);

function capture() {
  const lines: string[] = [];
  return { io: { out: (s: string) => lines.push(s) }, text: () => lines.join('\n') };
}

describe('G6 secure-api check (command)', () => {
  it('exits 0 on a clean project and 1 with a finding; --json and --sarif are machine-readable', async () => {
    const dir = project({ framework: 'express', features: ['docs'] });
    const clean = capture();
    expect(await runCheck(['--dir', dir], clean.io)).toBe(0);
    expect(clean.text()).toMatch(/0 error\(s\), 0 warning\(s\)/);

    const headers = join(dir, 'src/core/edge/security-headers.ts');
    writeFileSync(headers, readFileSync(headers, 'utf8').replace("'nosniff'", "'sniff-away'"));
    const human = capture();
    expect(await runCheck(['--dir', dir], human.io)).toBe(1);
    expect(human.text()).toMatch(/C20 src\/core\/edge\/security-headers\.ts:\d+ +X-Content-Type-Options is "sniff-away"/);
    expect(human.text()).toContain('fix:');

    const json = capture();
    expect(await runCheck(['--dir', dir, '--json'], json.io)).toBe(1);
    const report = JSON.parse(json.text());
    expect(report.findings[0]).toMatchObject({ severity: 'error', checklistId: 'C20', file: 'src/core/edge/security-headers.ts' });
    expect(Object.keys(report.findings[0]).sort()).toEqual(['checklistId', 'file', 'fix', 'line', 'message', 'severity']);

    const sarif = capture();
    expect(await runCheck(['--dir', dir, '--sarif'], sarif.io)).toBe(1);
    expect(JSON.parse(sarif.text()).runs[0].results[0].ruleId).toBe('C20');
  });

  it('refuses --json with --sarif and unknown flags as usage errors', async () => {
    await expect(runCheck(['--json', '--sarif'], capture().io)).rejects.toMatchObject({ exitCode: 2 });
    await expect(runCheck(['--fix'], capture().io)).rejects.toMatchObject({ exitCode: 2 });
  });
});

describe('G5 secure-api generate (command)', () => {
  it('adds a feature, says so the second time with exit 0, and tells the user to npm install', async () => {
    const dir = project({ features: [] });
    const first = capture();
    expect(await runGenerate(['websocket', '--dir', dir], first.io)).toBe(0);
    expect(first.text()).toMatch(/Added the feature websocket/);
    expect(first.text()).toContain('npm install');
    const second = capture();
    expect(await runGenerate(['websocket', '--dir', dir], second.io)).toBe(0);
    expect(second.text()).toMatch(/already in this project/);
  });

  it('--dry-run prints the unified diff', async () => {
    const dir = project({ features: [] });
    const out = capture();
    expect(await runGenerate(['docs', '--dry-run', '--dir', dir], out.io)).toBe(0);
    expect(out.text()).toContain('+++ b/src/registry.ts');
    expect(JSON.parse(readFileSync(join(dir, '.secure-api.json'), 'utf8')).features).toEqual([]);
  });

  it('generates a resource from flags', async () => {
    const dir = project({ features: [] });
    const out = capture();
    expect(await runGenerate(['resource', 'books', '--fields', 'title:string,done:boolean', '--dir', dir], out.io)).toBe(0);
    expect(out.text()).toContain('src/resources/books/routes.ts');
    await expect(runGenerate(['resource', '--dir', dir], capture().io)).rejects.toMatchObject({ code: 'usage_missing_argument' });
  });
});
