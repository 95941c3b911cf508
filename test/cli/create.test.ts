import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './run-cli.js';

/** A fake package manager on PATH: records its call, then behaves as told (sleep, fail, write a lockfile). */
function fakeNpm(behaviour: 'sleep' | 'fail' | 'ok'): Record<string, string> {
  const bin = tempDir();
  const body = {
    sleep: 'echo started > "$PWD/.install-started"; sleep 30',
    fail: 'echo "npm ERR! 404 Not Found - some-package" >&2; exit 1',
    ok: 'echo \'{"name":"x","lockfileVersion":3}\' > package-lock.json',
  }[behaviour];
  writeFileSync(join(bin, 'npm'), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, 'npm'), 0o755);
  return { PATH: `${bin}:${process.env.PATH}` };
}

describe('G2 create without a TTY', () => {
  it('--help prints help and writes nothing', async () => {
    const cwd = tempDir();
    const r = await runCli(['--help'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--framework');
    expect(r.stdout).toContain('--dry-run');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('--version prints the version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('a missing choice without --yes is a usage error listing the valid values', async () => {
    const cwd = tempDir();
    const r = await runCli(['my-api', '--framework', 'hono'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--auth jwt | session | api-key | none');
    expect(r.stderr).toContain('--database sqlite | postgres | mysql | none');
    expect(r.stderr).not.toContain('--framework');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('an unknown value, an unknown flag, a bad name and an impossible combination exit 2 with one clear line', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['x', '--framework', 'koa', '--yes'], /Invalid --framework "koa"\. Valid values: fastify, express, hono\./],
      [['x', '--features', 'waf,telepathy', '--yes'], /Invalid --features "telepathy"/],
      [['x', '--frobnicate', '--yes'], /Unknown option '--frobnicate'/],
      [['My API', '--yes'], /not a valid npm package name/],
      [['x', '--database', 'none', '--auth', 'jwt', '--yes'], /auth "jwt" stores users in a database.*pick --database sqlite/],
    ];
    for (const [args, message] of cases) {
      const cwd = tempDir();
      const r = await runCli(args, { cwd });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(readdirSync(cwd)).toEqual([]);
    }
  });

  it('--dry-run prints files, dependencies and checklist IDs and writes nothing', async () => {
    const cwd = tempDir();
    const r = await runCli(['my-api', '--yes', '--dry-run'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('src/registry.ts (managed)');
    expect(r.stdout).toMatch(/fastify \d+\.\d+\.\d+/);
    expect(r.stdout).toMatch(/Checklist .*C01.*C20.*W1/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('--yes creates the default project (fastify, jwt, sqlite, all features) and leaves no staging folder', async () => {
    const cwd = tempDir();
    const r = await runCli(['my-api', '--yes', '--no-install', '--no-git'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(cwd)).toEqual(['my-api']);
    const manifest = JSON.parse(readFileSync(join(cwd, 'my-api/.secure-api.json'), 'utf8'));
    expect(manifest).toMatchObject({ framework: 'fastify', auth: 'jwt', database: 'sqlite', features: ['waf', 'uploads', 'websocket', 'docs', 'metrics', 'redis'] });
    expect(manifest.command).toContain('--framework fastify --auth jwt --database sqlite');
  });

  it('refuses a non-empty directory and changes nothing in it', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'my-api'));
    writeFileSync(join(cwd, 'my-api/notes.txt'), 'mine');
    const r = await runCli(['my-api', '--yes', '--no-install', '--no-git'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/exists and is not empty/);
    expect(r.stderr).toMatch(/--force/);
    expect(readdirSync(join(cwd, 'my-api'))).toEqual(['notes.txt']);
  });

  it('--force writes into a non-empty directory and keeps the user\'s other files', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'my-api'));
    writeFileSync(join(cwd, 'my-api/notes.txt'), 'mine');
    const r = await runCli(['my-api', '--yes', '--no-install', '--no-git', '--force'], { cwd });
    expect(r.code).toBe(0);
    expect(readFileSync(join(cwd, 'my-api/notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(cwd, 'my-api/package.json'))).toBe(true);
    expect(readdirSync(cwd)).toEqual(['my-api']);
  });

  it('installs with the package manager, then makes one initial commit with the lockfile', async () => {
    const cwd = tempDir();
    const r = await runCli(['my-api', '--yes'], { cwd, env: fakeNpm('ok') });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { execFileSync } = await import('node:child_process');
    const log = execFileSync('git', ['log', '--oneline'], { cwd: join(cwd, 'my-api'), encoding: 'utf8' });
    expect(log.trim().split('\n')).toHaveLength(1);
    const files = execFileSync('git', ['ls-files'], { cwd: join(cwd, 'my-api'), encoding: 'utf8' });
    expect(files).toContain('package-lock.json');
    expect(files).not.toContain('.env\n');
  });

  it('a failed install leaves nothing behind and says why', async () => {
    const cwd = tempDir();
    const r = await runCli(['my-api', '--yes'], { cwd, env: fakeNpm('fail') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('404 Not Found');
    expect(r.stderr).toContain('Nothing was written');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('Ctrl-C during install exits 130 and leaves nothing behind', async () => {
    const cwd = tempDir();
    let sent = false;
    const r = await runCli(['my-api', '--yes'], {
      cwd,
      env: fakeNpm('sleep'),
      onStdout: (text, kill) => {
        if (!sent && text.includes('Installing')) {
          sent = true;
          // Give the fake npm a moment to start, so the interrupt lands mid-install.
          setTimeout(() => kill('SIGINT'), 300);
        }
      },
    });
    expect(sent).toBe(true);
    expect(r.code).toBe(130);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
