import { describe, expect, it } from 'vitest';
import { module as core, settings as coreSettings } from '../src/core/module.js';
import { loadSettings, SettingsError } from '../src/core/settings.js';
import { startServer } from './helpers/server.js';

function settingsError(env: Record<string, string>): SettingsError {
  try {
    loadSettings(env, coreSettings, [core]);
  } catch (err) {
    if (err instanceof SettingsError) return err;
    throw err;
  }
  throw new Error('expected a SettingsError');
}

describe('C21 typed settings, fail fast', () => {
  it('defaults apply when nothing is set, and empty variables count as unset', () => {
    const s = loadSettings({ PORT: '', CORS_ORIGINS: '' }, coreSettings, [core]);
    expect(s).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      ALLOWED_HOSTS: ['localhost', '127.0.0.1'],
      CORS_ORIGINS: [],
      TRUST_PROXY_HOPS: 0,
      RATE_LIMIT_PER_MINUTE: 100,
      LOGIN_RATE_LIMIT_PER_MINUTE: 5,
      BODY_LIMIT_BYTES: 102400,
      REQUEST_TIMEOUT_MS: 15000,
    });
  });

  it('every bad variable is named with a reason, and no value is printed', () => {
    const err = settingsError({
      PORT: 'port-value-xyz',
      NODE_ENV: 'staging-value-xyz',
      RATE_LIMIT_PER_MINUTE: '-5',
      CORS_ORIGINS: 'https://ok.example,secret-origin-xyz',
      TRUST_PROXY_HOPS: '99',
    });
    for (const name of ['PORT', 'NODE_ENV', 'RATE_LIMIT_PER_MINUTE', 'CORS_ORIGINS', 'TRUST_PROXY_HOPS']) {
      expect(err.message).toMatch(new RegExp(`- ${name}: \\S`));
    }
    expect(err.problems).toHaveLength(5);
    expect(err.message).not.toMatch(/value-xyz|secret-origin|-5\b|99/);
  });

  it('production requires ALLOWED_HOSTS to be set explicitly', () => {
    const err = settingsError({ NODE_ENV: 'production' });
    expect(err.message).toMatch(/ALLOWED_HOSTS: is required in production/);
    expect(() =>
      loadSettings({ NODE_ENV: 'production', ALLOWED_HOSTS: 'api.example.com' }, coreSettings, [core]),
    ).not.toThrow();
  });

  it('module production rules run only in production and never echo the value', () => {
    const weak = {
      name: 'fake',
      checklist: [],
      productionIssues: (_s: unknown, env: Record<string, string | undefined>) =>
        (env.SECRET_KEY ?? '').length < 32 ? ['SECRET_KEY: must be at least 32 characters in production'] : [],
    };
    const env = { NODE_ENV: 'production', ALLOWED_HOSTS: 'api.example.com', SECRET_KEY: 'changeme' };
    expect(() => loadSettings(env, coreSettings, [core, weak])).toThrow(/SECRET_KEY: must be at least 32/);
    try {
      loadSettings(env, coreSettings, [core, weak]);
    } catch (err) {
      expect((err as Error).message).not.toContain('changeme');
    }
    expect(() => loadSettings({ ...env, NODE_ENV: 'development' }, coreSettings, [core, weak])).not.toThrow();
  });

  it('createServer refuses a bad environment before anything listens', async () => {
    await expect(startServer({ MAX_CONCURRENT_REQUESTS: 'lots' })).rejects.toBeInstanceOf(SettingsError);
    await expect(startServer({ NODE_ENV: 'production', ALLOWED_HOSTS: '' })).rejects.toThrow(/ALLOWED_HOSTS/);
  });
});
