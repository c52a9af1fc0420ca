import { describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n';
import { duplicatePartner, fromDraft, newPartner, toDraft } from '../../src/options/draft';
import { parseSettings } from '../../src/settings/schema';
import type { Settings } from '../../src/settings/types';

const settings: Settings = {
  version: 1,
  ownBox: { url: 'https://a.1b.app', login: 'olena', restApiPassword: 'own-secret' },
  partners: [
    {
      id: 'buyer-b', name: 'Buyer B', boxUrl: 'https://b.1b.app', login: 'sync', restApiPassword: 'b-secret',
      assigneeEmail: 'ivan@b.example', workflowId: 12, statusId: 57, syncOnlyClientVisibleComments: true, syncClient: true,
      fieldMap: [{ from: 'deadline', to: 'partner_deadline' }], autoSend: { workflowId: 3, statusId: 9 },
    },
  ],
  preferences: { shareByDefault: false, holdSeconds: 15, language: 'ru' },
};

describe('the options form and the settings file', () => {
  it('turns settings into the form and back without loss', () => {
    expect(parseSettings(fromDraft(toDraft(settings)), { requirePasswords: true })).toEqual({ ok: true, settings });
  });

  it('sends what the user typed to the schema, which says what is wrong', () => {
    const draft = toDraft(settings);
    draft.partners[0]!.workflowId = '12a';
    draft.partners[0]!.statusId = '';
    draft.preferences.holdSeconds = 'ten';
    const result = parseSettings(fromDraft(draft));
    expect(!result.ok && result.issues.map((issue) => [issue.path.join('.'), issue.messageKey])).toEqual([
      ['partners.0.workflowId', 'settings_error_id_not_numeric'],
      ['preferences.holdSeconds', 'settings_error_hold_seconds'],
    ]);
  });

  it('refuses a hold window under 3 s typed into the form, at the field, in each language', () => {
    const draft = toDraft(settings);
    draft.preferences.holdSeconds = '2';
    const result = parseSettings(fromDraft(draft), { requirePasswords: true, asTyped: true });
    if (result.ok) throw new Error('expected 2 seconds to be refused');
    expect(result.issues).toEqual([{ path: ['preferences', 'holdSeconds'], messageKey: 'settings_error_hold_seconds_min', substitutions: ['3'] }]);
    const [issue] = result.issues;
    expect(translate('en', issue!.messageKey, issue!.substitutions)).toBe('Must be at least 3 seconds, so that a new comment can still be marked private.');
    expect(translate('uk', issue!.messageKey, issue!.substitutions)).toBe('Має бути не менше 3 секунд, щоб новий коментар ще можна було позначити приватним.');
    expect(translate('ru', issue!.messageKey, issue!.substitutions)).toBe('Должно быть не менее 3 секунд, чтобы новый комментарий ещё можно было отметить приватным.');
  });

  it.each(['0', '1', ' 2 '])('refuses %j seconds typed into the form rather than raising it', (typed) => {
    const draft = toDraft(settings);
    draft.preferences.holdSeconds = typed;
    const result = parseSettings(fromDraft(draft), { requirePasswords: true, asTyped: true });
    expect(!result.ok && result.issues.map((issue) => issue.messageKey)).toEqual(['settings_error_hold_seconds_min']);
  });

  it.each([['3', 3], ['600', 600]])('accepts %j seconds typed into the form', (typed, seconds) => {
    const draft = toDraft(settings);
    draft.preferences.holdSeconds = typed;
    const result = parseSettings(fromDraft(draft), { requirePasswords: true, asTyped: true });
    expect(result.ok && result.settings.preferences.holdSeconds).toBe(seconds);
  });

  it.each(['601', '2.5', 'ten', ''])('refuses %j seconds typed into the form with the range, 3 to 600', (typed) => {
    const draft = toDraft(settings);
    draft.preferences.holdSeconds = typed;
    const result = parseSettings(fromDraft(draft), { requirePasswords: true, asTyped: true });
    expect(!result.ok && result.issues).toEqual([{ path: ['preferences', 'holdSeconds'], messageKey: 'settings_error_hold_seconds', substitutions: ['3', '600'] }]);
    expect(translate('en', 'settings_error_hold_seconds', ['3', '600'])).toBe('Must be a whole number of seconds from 3 to 600.');
  });

  it('shows settings stored with a hold window under 3 s as 3 in the form, which then saves', () => {
    const stored = parseSettings({ ...settings, preferences: { ...settings.preferences, holdSeconds: 0 } });
    if (!stored.ok) throw new Error('stored settings with 0 seconds must be read');
    const draft = toDraft(stored.settings);
    expect(draft.preferences.holdSeconds).toBe('3');
    expect(parseSettings(fromDraft(draft), { requirePasswords: true, asTyped: true })).toMatchObject({ ok: true, settings: { preferences: { holdSeconds: 3 } } });
  });

  it('saves an untouched own box as none, a half-filled one with its gaps named', () => {
    const draft = toDraft({ ...settings, ownBox: null, partners: [] });
    expect(parseSettings(fromDraft(draft))).toMatchObject({ ok: true, settings: { ownBox: null } });
    draft.ownBox.url = 'https://a.1b.app';
    const result = parseSettings(fromDraft(draft), { requirePasswords: true });
    expect(!result.ok && result.issues.map((issue) => issue.path.join('.'))).toEqual(['ownBox.login', 'ownBox.restApiPassword']);
  });

  it('starts a new partner with the recommended switches and a free id', () => {
    const partner = newPartner(['partner-1', 'buyer-b']);
    expect(partner).toMatchObject({ id: 'partner-2', syncOnlyClientVisibleComments: true, syncClient: false, autoSend: null, fieldMap: [] });
  });

  it('duplicates a partner under a new id, with its own rows', () => {
    const original = toDraft(settings).partners[0]!;
    const copy = duplicatePartner(original, ['buyer-b'], '(copy)');
    expect(copy).toMatchObject({ id: 'buyer-b-1', name: 'Buyer B (copy)', boxUrl: original.boxUrl, restApiPassword: 'b-secret' });
    expect(copy.key).not.toBe(original.key);
    expect(copy.fieldMap[0]).not.toBe(original.fieldMap[0]);
    expect(copy.fieldMap[0]?.key).not.toBe(original.fieldMap[0]?.key);
  });
});
