import { describe, expect, it } from 'vitest';
import { CURRENT_VERSION, MIGRATIONS, migrate, type Migrations } from '../../src/settings/migrations';
import { parseSettings } from '../../src/settings/schema';

describe('settings file versions', () => {
  it('reads version 1, the current one, as it is', () => {
    expect(CURRENT_VERSION).toBe(1);
    const file = { version: 1, partners: [] };
    expect(migrate(file)).toEqual({ ok: true, file });
  });

  it('has a step for every version before the current one', () => {
    for (let version = 1; version < CURRENT_VERSION; version++) expect(MIGRATIONS[version]).toBeTypeOf('function');
  });

  it('refuses a file without a version, saying which version it reads', () => {
    expect(parseSettings({ partners: [] })).toEqual({
      ok: false,
      issues: [{ path: ['version'], messageKey: 'settings_error_version_missing', substitutions: ['1'] }],
    });
  });

  it.each([[0], [-1], ['1'], [1.5], [null]])('refuses the unknown version %j', (version) => {
    expect(parseSettings({ version })).toEqual({
      ok: false,
      issues: [{ path: ['version'], messageKey: 'settings_error_version_unknown', substitutions: [JSON.stringify(version), '1'] }],
    });
  });

  it('tells a file from a newer extension apart, to ask for an update', () => {
    expect(parseSettings({ version: 2 })).toEqual({
      ok: false,
      issues: [{ path: ['version'], messageKey: 'settings_error_version_newer', substitutions: ['2'] }],
    });
  });
});

describe('the migration runner, with the steps of a future version 3', () => {
  // Version 2 renames `holdSeconds` to `holdMs`; version 3 drops `shareByDefault`.
  const steps: Migrations = {
    1: (file) => {
      const preferences = { ...(file.preferences as Record<string, unknown>) };
      preferences.holdMs = Number(preferences.holdSeconds) * 1000;
      delete preferences.holdSeconds;
      return { ...file, version: 2, preferences };
    },
    2: (file) => {
      const preferences = { ...(file.preferences as Record<string, unknown>) };
      delete preferences.shareByDefault;
      return { ...file, version: 3, preferences };
    },
  };

  it('brings a version 1 file up step by step, in order', () => {
    const result = migrate({ version: 1, preferences: { shareByDefault: true, holdSeconds: 10 } }, steps, 3);
    expect(result).toEqual({ ok: true, file: { version: 3, preferences: { holdMs: 10_000 } } });
  });

  it('starts from the version the file has', () => {
    const result = migrate({ version: 2, preferences: { shareByDefault: false, holdMs: 5 } }, steps, 3);
    expect(result).toEqual({ ok: true, file: { version: 3, preferences: { holdMs: 5 } } });
  });

  it('does not change the file it was given', () => {
    const file = { version: 1, preferences: { shareByDefault: true, holdSeconds: 10 } };
    migrate(file, steps, 3);
    expect(file).toEqual({ version: 1, preferences: { shareByDefault: true, holdSeconds: 10 } });
  });

  it('refuses a version it has no step from, rather than guessing', () => {
    const result = migrate({ version: 0 }, steps, 3);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues[0]?.messageKey).toBe('settings_error_version_unknown');
  });
});
