import { describe, expect, it } from 'vitest';
import { keepKnownPasswords, toSettingsFile } from '../../src/settings/file';
import { boxOrigins, grantsToRelease, patternCoversOrigin } from '../../src/settings/origins';
import { parseSettings } from '../../src/settings/schema';
import type { Settings } from '../../src/settings/types';

const settings: Settings = {
  version: 1,
  ownBox: { url: 'https://a.1b.app', login: 'olena', restApiPassword: 'own-secret' },
  partners: [
    {
      id: 'buyer-b', name: 'Buyer B', boxUrl: 'https://b.1b.app', login: 'sync', restApiPassword: 'b-secret',
      assigneeEmail: 'ivan@b.example', workflowId: 12, syncOnlyClientVisibleComments: true, syncClient: false,
    },
    {
      id: 'company', name: 'Company partner', boxUrl: 'https://c.example.com', login: 'sync', restApiPassword: 'c-secret',
      assigneeEmail: 'x@c.example', workflowId: 4, syncOnlyClientVisibleComments: true, syncClient: false, managed: true,
    },
  ],
  preferences: { shareByDefault: true, holdSeconds: 10, language: 'uk' },
};

describe('the exported settings file', () => {
  it('leaves passwords out unless asked, and company-wide partners always', () => {
    const text = JSON.stringify(toSettingsFile(settings, false));
    expect(text).not.toContain('secret');
    expect(text).not.toContain('restApiPassword');
    expect(text).not.toContain('company');
    expect(text).not.toContain('managed');
  });

  it('holds the passwords when asked', () => {
    const text = JSON.stringify(toSettingsFile(settings, true));
    expect(text).toContain('own-secret');
    expect(text).toContain('b-secret');
    expect(text).not.toContain('c-secret');
  });

  it('reads back as the same settings (round trip through the schema)', () => {
    const result = parseSettings(JSON.parse(JSON.stringify(toSettingsFile(settings, true))), { requirePasswords: true });
    expect(result).toEqual({ ok: true, settings: { ...settings, partners: [settings.partners[0]] } });
  });

  it('keeps the stored password of the same login on the same box when a file has none', () => {
    const parsed = parseSettings(JSON.parse(JSON.stringify(toSettingsFile(settings, false))));
    if (!parsed.ok) throw new Error('export must be importable');
    const otherLogin = { ...parsed.settings, partners: parsed.settings.partners.map((p) => ({ ...p, login: 'someone-else' })) };
    expect(keepKnownPasswords(parsed.settings, settings).ownBox?.restApiPassword).toBe('own-secret');
    expect(keepKnownPasswords(parsed.settings, settings).partners[0]?.restApiPassword).toBe('b-secret');
    expect(keepKnownPasswords(otherLogin, settings).partners[0]?.restApiPassword).toBe('');
  });
});

describe('a settings file with a hold window under 3 s (older builds accepted 0 to 600)', () => {
  const olderFile = (holdSeconds: number) => {
    const file = JSON.parse(JSON.stringify(toSettingsFile(settings, true))) as { version: number; preferences: { holdSeconds: number } };
    file.preferences.holdSeconds = holdSeconds;
    return JSON.parse(JSON.stringify(file)) as unknown;
  };

  it('is written in version 1, the format that stays', () => {
    expect(olderFile(0)).toMatchObject({ version: 1, preferences: { holdSeconds: 0 } });
  });

  it.each([0, 2])('imports with %j seconds raised to 3, everything else as it was', (hold) => {
    expect(parseSettings(olderFile(hold))).toEqual({
      ok: true,
      settings: { ...settings, partners: [settings.partners[0]], preferences: { ...settings.preferences, holdSeconds: 3 } },
    });
  });

  it.each([3, 600])('imports with %j seconds as they are', (hold) => {
    const result = parseSettings(olderFile(hold));
    expect(result.ok && result.settings.preferences.holdSeconds).toBe(hold);
  });

  it('is exported again as version 1 with 3 seconds, and reads back the same', () => {
    const imported = parseSettings(olderFile(0));
    if (!imported.ok) throw new Error('the older file must import');
    const exported = JSON.parse(JSON.stringify(toSettingsFile(keepKnownPasswords(imported.settings, settings), true))) as unknown;
    expect(exported).toMatchObject({ version: 1, preferences: { holdSeconds: 3 } });
    expect(parseSettings(exported, { requirePasswords: true, asTyped: true })).toEqual({ ok: true, settings: imported.settings });
  });
});

describe('host permissions of the boxes', () => {
  it('lists each box origin once, own box first', () => {
    expect(boxOrigins(settings)).toEqual(['https://a.1b.app', 'https://b.1b.app', 'https://c.example.com']);
  });

  it.each([
    ['http://127.0.0.1/*', 'http://127.0.0.1:5101', true],
    ['http://127.0.0.1:5101/*', 'http://127.0.0.1:5101', true],
    ['http://127.0.0.1:5102/*', 'http://127.0.0.1:5101', false],
    ['https://*.1b.app/*', 'https://a.1b.app', true],
    ['https://*.1b.app/*', 'https://a.1b.app.evil.example', false],
    ['https://*/*', 'https://c.example.com', true],
    ['https://*/*', 'http://localhost:8080', false],
    ['*://a.1b.app/*', 'https://a.1b.app', true],
    ['<all_urls>', 'https://x.example', true],
    ['http://[::1]/*', 'http://[::1]:5101', true],
  ])('%s covers %s: %s', (pattern, origin, covers) => {
    expect(patternCoversOrigin(pattern, origin)).toBe(covers);
  });

  it('gives back only grants no box needs, never the manifest\'s own', () => {
    const granted = ['http://127.0.0.1/*', 'https://old.example.com/*', 'https://*.1b.app/*', 'https://b.1b.app/*'];
    expect(grantsToRelease(granted, ['http://127.0.0.1:5101', 'https://b.1b.app'], ['https://*.1b.app/*'])).toEqual(['https://old.example.com/*']);
  });
});
