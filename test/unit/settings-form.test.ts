import { describe, expect, it } from 'vitest';
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
