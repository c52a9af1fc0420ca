import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CURRENT_VERSION, MIGRATIONS, migrate, raiseHoldSeconds, REPAIRS, type Migrations } from '../../src/settings/migrations';
import { parseSettings } from '../../src/settings/schema';

// storage.local and storage.managed, faked, for the settings as the extension reads them.
const storage = vi.hoisted(() => ({ local: {} as Record<string, unknown>, managed: {} as Record<string, unknown> }));
vi.mock('../../src/platform/browser-api', () => ({
  localStore: {
    get: async (key: string) => (key in storage.local ? { [key]: storage.local[key] } : {}),
    set: async (items: Record<string, unknown>) => void Object.assign(storage.local, items),
  },
  managedSettings: async () => storage.managed,
}));
const { loadSettings, loadStoredSettings, refreshManagedPolicy, SETTINGS_KEY } = await import('../../src/settings/store');

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

  it('repairs a version 1 file before its step to version 2', () => {
    const result = migrate({ version: 1, preferences: { shareByDefault: true, holdSeconds: 0 } }, steps, 3);
    expect(result).toEqual({ ok: true, file: { version: 3, preferences: { holdMs: 3000 } } });
  });

  it('refuses a version it has no step from, rather than guessing', () => {
    const result = migrate({ version: 0 }, steps, 3);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues[0]?.messageKey).toBe('settings_error_version_unknown');
  });
});

describe('the repairs of version 1: a hold window under 3 s, which older builds accepted', () => {
  const file = (holdSeconds: unknown) => ({ version: 1, preferences: { shareByDefault: true, holdSeconds, language: 'auto' } });

  it('are run on every version 1 file that is read', () => {
    expect(REPAIRS[1]).toContain(raiseHoldSeconds);
  });

  it.each([0, 1, 2])('raise %j seconds to 3, keeping version 1 and the other fields', (hold) => {
    expect(migrate(file(hold))).toEqual({ ok: true, file: file(3) });
  });

  it.each([[3], [600], [601], [2.5], [-1], ['1'], [null]])('leave %j seconds for the schema to accept or refuse', (hold) => {
    expect(migrate(file(hold))).toEqual({ ok: true, file: file(hold) });
  });

  it('leave a file without preferences or without a hold window as it is', () => {
    expect(migrate({ version: 1 })).toEqual({ ok: true, file: { version: 1 } });
    expect(migrate({ version: 1, preferences: { language: 'uk' } })).toEqual({ ok: true, file: { version: 1, preferences: { language: 'uk' } } });
  });

  it('do not change the file they were given', () => {
    const given = file(0);
    migrate(given);
    expect(given).toEqual(file(0));
  });

  it('are skipped only when asked (what the user types into the form is checked as it is)', () => {
    expect(migrate(file(0), MIGRATIONS, CURRENT_VERSION, {})).toEqual({ ok: true, file: file(0) });
  });
});

describe('the hold window floor, for every source the extension reads', () => {
  beforeEach(() => {
    storage.local = {};
    storage.managed = {};
  });

  it.each([0, 2])('stored settings with %j seconds (written by an older build) are read as 3, not refused', async (hold) => {
    storage.local[SETTINGS_KEY] = file(hold);
    expect(await loadStoredSettings()).toEqual({ settings: { version: 1, ownBox: null, partners: [], preferences: { shareByDefault: false, holdSeconds: 3, language: 'uk' } }, issues: [] });
    expect((await loadSettings()).preferences.holdSeconds).toBe(3);
  });

  it.each([3, 600])('stored settings with %j seconds are read as they are', async (hold) => {
    storage.local[SETTINGS_KEY] = file(hold);
    expect((await loadStoredSettings()).settings.preferences.holdSeconds).toBe(hold);
  });

  it('stored settings with 601 seconds are still refused, as before', async () => {
    storage.local[SETTINGS_KEY] = file(601);
    expect((await loadStoredSettings()).issues).toEqual([
      { path: ['preferences', 'holdSeconds'], messageKey: 'settings_error_hold_seconds', substitutions: ['3', '600'] },
    ]);
  });

  it('a company policy that also carries a hold window under 3 s still gives its partners', async () => {
    const partner = {
      id: 'company', name: 'Company partner', boxUrl: 'https://c.example.com', login: 'sync', restApiPassword: 'c-secret',
      assigneeEmail: 'x@c.example', workflowId: 4,
    };
    storage.managed = { version: 1, partners: [partner], preferences: { holdSeconds: 0 } };
    const { partners, issues } = await refreshManagedPolicy();
    expect(issues).toEqual([]);
    expect(partners.map((p) => p.id)).toEqual(['company']);
  });

  function file(holdSeconds: number) {
    return { version: 1, ownBox: null, partners: [], preferences: { shareByDefault: false, holdSeconds, language: 'uk' } };
  }
});
