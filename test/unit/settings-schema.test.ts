import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toSettingsFile } from '../../src/settings/file';
import { HOLD_SECONDS, MIN_HOLD_SECONDS, parseManagedPartners, parseSettings } from '../../src/settings/schema';
import type { SettingsIssue } from '../../src/settings/issues';

// Verbatim from design.md ("Settings file"): outside checks import exactly this file.
const DESIGN_EXAMPLE = readFileSync(resolve(import.meta.dirname, '../fixtures/design-settings.json'), 'utf8');

const example = () => JSON.parse(DESIGN_EXAMPLE) as { partners: Record<string, unknown>[]; ownBox: Record<string, unknown>; preferences: Record<string, unknown> } & Record<string, unknown>;

function issuesOf(input: unknown, options = {}): SettingsIssue[] {
  const result = parseSettings(input, options);
  if (result.ok) throw new Error('expected the input to be refused');
  return result.issues;
}

const at = (issues: SettingsIssue[], path: string) => issues.filter((issue) => issue.path.join('.') === path).map((issue) => issue.messageKey);

describe('the settings schema', () => {
  it('accepts exactly the example of design.md and keeps every value', () => {
    const result = parseSettings(JSON.parse(DESIGN_EXAMPLE), { requirePasswords: true });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.settings).toEqual({
      version: 1,
      ownBox: { url: 'https://a.1b.app', login: 'olena', restApiPassword: '...' },
      partners: [
        {
          id: 'buyer-b', name: 'Buyer B', boxUrl: 'https://b.1b.app', login: 'supplier-a-sync', restApiPassword: '...',
          assigneeEmail: 'ivan@buyer-b.example', workflowId: 12, statusId: 57, syncOnlyClientVisibleComments: true,
          syncClient: false, fieldMap: [{ from: 'deadline', to: 'partner_deadline' }], autoSend: { workflowId: 3, statusId: 9 },
        },
      ],
      preferences: { shareByDefault: true, holdSeconds: 10, language: 'auto' },
    });
  });

  it('treats statusId, fieldMap and autoSend as optional, and null as not set', () => {
    const file = example();
    delete file.partners[0]!.statusId;
    delete file.partners[0]!.fieldMap;
    file.partners[0]!.autoSend = null;
    const result = parseSettings(file);
    if (!result.ok) throw new Error('expected the file to be read');
    const { statusId, fieldMap, autoSend } = result.settings.partners[0]!;
    expect([statusId, fieldMap, autoSend]).toEqual([undefined, undefined, undefined]);
  });

  it('fills defaults: preferences, and the two sync switches the vendor describes', () => {
    const file = example();
    delete (file as Record<string, unknown>).preferences;
    delete file.partners[0]!.syncOnlyClientVisibleComments;
    delete file.partners[0]!.syncClient;
    const result = parseSettings(file);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.settings.preferences).toEqual({ shareByDefault: true, holdSeconds: 10, language: 'auto' });
    expect(result.settings.partners[0]).toMatchObject({ syncOnlyClientVisibleComments: true, syncClient: false });
  });

  it('accepts digit strings as ids (boxes hand ids out as strings) and stores numbers', () => {
    const file = example();
    Object.assign(file.partners[0]!, { workflowId: '12', statusId: ' 57 ', autoSend: { workflowId: '3', statusId: 9 } });
    const result = parseSettings(file);
    expect(result.ok && result.settings.partners[0]).toMatchObject({ workflowId: 12, statusId: 57, autoSend: { workflowId: 3, statusId: 9 } });
  });

  it.each([['12a'], ['abc'], [-3], [0], [1.5], ['1e3'], [true], [[12]]])('refuses the non-numeric or non-positive id %j', (id) => {
    const file = example();
    file.partners[0]!.workflowId = id;
    expect(at(issuesOf(file), 'partners.0.workflowId')).toEqual(['settings_error_id_not_numeric']);
  });

  it('reduces box addresses to their origin', () => {
    const file = example();
    file.ownBox.url = ' https://a.1b.app/123/ ';
    file.partners[0]!.boxUrl = 'b.1b.app';
    const result = parseSettings(file);
    expect(result.ok && [result.settings.ownBox?.url, result.settings.partners[0]?.boxUrl]).toEqual(['https://a.1b.app', 'https://b.1b.app']);
  });

  it.each(['http://127.0.0.1:5101', 'http://127.8.0.1', 'http://localhost:8080', 'http://[::1]:5101'])('accepts http:// on the loopback host %s', (url) => {
    const file = example();
    file.ownBox.url = url;
    expect(parseSettings(file).ok).toBe(true);
  });

  it.each([
    ['http://a.1b.app', 'error_insecure_url'],
    ['http://192.168.1.5', 'error_insecure_url'],
    ['http://128.0.0.1', 'error_insecure_url'],
    ['ftp://a.1b.app', 'error_bad_url'],
    ['not a url', 'error_bad_url'],
    ['mybox', 'error_bad_url'],
    ['https://user:pw@a.1b.app', 'error_bad_url'],
    ['https://*.com', 'error_bad_url'],
    ['https://%2A.1b.app', 'error_bad_url'],
  ])('refuses the box address %s', (url, key) => {
    const file = example();
    file.partners[0]!.boxUrl = url;
    expect(at(issuesOf(file), 'partners.0.boxUrl')).toEqual([key]);
  });

  it.each(['ivan', 'ivan@', '@b.example', 'ivan@b', 'ivan b@b.example'])('refuses the malformed email %j', (email) => {
    const file = example();
    file.partners[0]!.assigneeEmail = email;
    expect(at(issuesOf(file), 'partners.0.assigneeEmail')).toEqual(['settings_error_bad_email']);
  });

  it('refuses two partners with one id, naming the second', () => {
    const file = example();
    file.partners.push({ ...file.partners[0]!, name: 'Buyer B again' });
    const issues = issuesOf(file);
    expect(issues).toEqual([{ path: ['partners', 1, 'id'], messageKey: 'settings_error_duplicate_partner_id', substitutions: ['buyer-b'] }]);
  });

  it('refuses an id a company-wide partner already has', () => {
    expect(at(issuesOf(example(), { managedIds: ['buyer-b'] }), 'partners.0.id')).toEqual(['settings_error_managed_partner_id']);
  });

  it('refuses partner ids that would not survive as a key', () => {
    const file = example();
    file.partners[0]!.id = 'Buyer B';
    expect(at(issuesOf(file), 'partners.0.id')).toEqual(['settings_error_partner_id']);
  });

  it('refuses two mapping rows writing into one partner field', () => {
    const file = example();
    file.partners[0]!.fieldMap = [{ from: 'deadline', to: 'x' }, { from: 'budget', to: 'x' }];
    expect(at(issuesOf(file), 'partners.0.fieldMap.1.to')).toEqual(['settings_error_duplicate_target']);
  });

  it('reads the own company name and the stage map, ids as numbers; files without them read as before', () => {
    const file = example();
    file.ownBox.companyName = '  Supplier A ';
    file.partners[0]!.stageMap = [{ from: '58', to: 9 }, { from: 60, to: 10 }];
    const result = parseSettings(file);
    if (!result.ok) throw new Error('expected the file to be read');
    expect(result.settings.ownBox?.companyName).toBe('Supplier A');
    expect(result.settings.partners[0]!.stageMap).toEqual([{ from: 58, to: 9 }, { from: 60, to: 10 }]);
    const plain = parseSettings(example());
    if (!plain.ok) throw new Error('expected the file to be read');
    expect(JSON.parse(JSON.stringify(toSettingsFile(plain.settings, true)))).toEqual(example());
  });

  it('refuses a stage map with ids that are not ids, a row without both stages, and a partner stage mapped twice', () => {
    const file = example();
    file.ownBox.companyName = 'x'.repeat(101);
    file.partners[0]!.stageMap = [{ from: 'new', to: 9 }, { from: 58 }, { from: 60, to: 9 }, { from: ' 60', to: 10 }];
    const issues = issuesOf(file);
    expect(at(issues, 'ownBox.companyName')).toEqual(['settings_error_too_long']);
    expect(at(issues, 'partners.0.stageMap.0.from')).toEqual(['settings_error_id_not_numeric']);
    expect(at(issues, 'partners.0.stageMap.1.to')).toEqual(['settings_error_required']);
    expect(at(issues, 'partners.0.stageMap.3.from')).toEqual(['settings_error_duplicate_stage']);
    expect(issues.filter((issue) => issue.path.includes('stageMap'))).toHaveLength(3);
  });

  it('names unknown fields instead of ignoring them (a misspelt optional field would be lost)', () => {
    const file = example();
    file.partners[0]!.statusid = 57;
    file.extra = true;
    const issues = issuesOf(file);
    expect(issues).toContainEqual({ path: ['partners', 0, 'statusid'], messageKey: 'settings_error_unknown_field', substitutions: ['statusid'] });
    expect(issues).toContainEqual({ path: ['extra'], messageKey: 'settings_error_unknown_field', substitutions: ['extra'] });
  });

  it('reports every problem at once, each at its field, in the order of the file', () => {
    const file = example();
    file.ownBox.login = '  ';
    file.partners[0]!.name = 42;
    delete file.partners[0]!.assigneeEmail;
    file.preferences.holdSeconds = 2.5;
    file.preferences.language = 'de';
    expect(issuesOf(file).map((issue) => [issue.path.join('.'), issue.messageKey])).toEqual([
      ['ownBox.login', 'settings_error_required'],
      ['partners.0.name', 'settings_error_not_text'],
      ['partners.0.assigneeEmail', 'settings_error_required'],
      ['preferences.holdSeconds', 'settings_error_hold_seconds'],
      ['preferences.language', 'settings_error_language'],
    ]);
  });

  it('gives the limits with the message', () => {
    const file = example();
    file.preferences.holdSeconds = 601;
    file.partners[0]!.name = 'x'.repeat(101);
    const issues = issuesOf(file);
    expect(issues.find((issue) => issue.messageKey === 'settings_error_hold_seconds')?.substitutions).toEqual(['3', '600']);
    expect(issues.find((issue) => issue.messageKey === 'settings_error_too_long')?.substitutions).toEqual(['100']);
  });

  it('lets a file leave passwords out, but saving needs them', () => {
    const file = example();
    delete file.ownBox.restApiPassword;
    file.partners[0]!.restApiPassword = '';
    const lenient = parseSettings(file);
    expect(lenient.ok && [lenient.settings.ownBox?.restApiPassword, lenient.settings.partners[0]?.restApiPassword]).toEqual(['', '']);
    expect(issuesOf(file, { requirePasswords: true }).map((issue) => issue.path.join('.'))).toEqual(['ownBox.restApiPassword', 'partners.0.restApiPassword']);
  });

  it('accepts a file without an own box or partners', () => {
    expect(parseSettings({ version: 1 })).toMatchObject({ ok: true, settings: { ownBox: null, partners: [] } });
  });

  it.each([[null], [[]], ['text'], [42]])('refuses %j as a settings file', (input) => {
    expect(issuesOf(input)).toEqual([{ path: [], messageKey: 'settings_error_not_object' }]);
  });
});

describe('the hold window (design.md, guarantee 4: at least 3 s)', () => {
  const withHold = (holdSeconds: unknown) => {
    const file = example();
    file.preferences.holdSeconds = holdSeconds;
    return file;
  };
  const holdOf = (result: ReturnType<typeof parseSettings>) => (result.ok ? result.settings.preferences.holdSeconds : result.issues);

  it('has a floor of 3 seconds, which the sync engine imports', () => {
    expect(MIN_HOLD_SECONDS).toBe(3);
    expect(HOLD_SECONDS).toEqual({ min: 3, max: 600, default: 10 });
  });

  it.each([0, 1, 2])('raises %j seconds, which older builds accepted, to 3 when read', (hold) => {
    expect(holdOf(parseSettings(withHold(hold)))).toBe(3);
    expect(holdOf(parseSettings(withHold(hold), { requirePasswords: true }))).toBe(3);
  });

  it.each([3, 4, 10, 600])('keeps %j seconds as it is, read or typed', (hold) => {
    expect(holdOf(parseSettings(withHold(hold)))).toBe(hold);
    expect(holdOf(parseSettings(withHold(hold), { asTyped: true }))).toBe(hold);
  });

  it.each([0, 1, 2, -1])('refuses %j seconds typed into the form, saying "at least 3"', (hold) => {
    expect(issuesOf(withHold(hold), { asTyped: true })).toEqual([
      { path: ['preferences', 'holdSeconds'], messageKey: 'settings_error_hold_seconds_min', substitutions: ['3'] },
    ]);
  });

  it.each([[601], [2.5], [0.5], [-1], ['10'], [null], [true]])('still refuses %j seconds when read', (hold) => {
    const issues = issuesOf(withHold(hold));
    expect(issues.map((issue) => issue.path.join('.'))).toEqual(['preferences.holdSeconds']);
    expect(issues[0]?.messageKey).toBe(hold === -1 ? 'settings_error_hold_seconds_min' : 'settings_error_hold_seconds');
  });

  it('raises the value of the file it reads, not the file it was given', () => {
    const file = withHold(0);
    parseSettings(file);
    expect(file.preferences.holdSeconds).toBe(0);
  });
});

describe('company-wide partners from storage.managed', () => {
  const partner = () => ({ ...example().partners[0]! });

  it('reads the partners of the policy and marks them managed', () => {
    const { partners, issues } = parseManagedPartners({ partners: [partner()] });
    expect(issues).toEqual([]);
    expect(partners).toMatchObject([{ id: 'buyer-b', workflowId: 12, managed: true }]);
  });

  it('has nothing to say when no policy is set', () => {
    expect(parseManagedPartners({})).toEqual({ partners: [], issues: [] });
  });

  it('leaves out and reports a broken entry, keeping the others', () => {
    const broken = { ...partner(), id: 'other', workflowId: 'abc' };
    const noPassword = { ...partner(), id: 'third', restApiPassword: '' };
    const { partners, issues } = parseManagedPartners({ version: 1, partners: [broken, partner(), noPassword, partner()] });
    expect(partners.map((p) => p.id)).toEqual(['buyer-b']);
    expect(issues.map((issue) => [issue.path.join('.'), issue.messageKey])).toEqual([
      ['partners.0.workflowId', 'settings_error_id_not_numeric'],
      ['partners.2.restApiPassword', 'settings_error_password_missing'],
      ['partners.3.id', 'settings_error_duplicate_partner_id'],
    ]);
  });

  it('does not refuse a policy that also carries a hold window under 3 s (it reads only the partners)', () => {
    const { partners, issues } = parseManagedPartners({ version: 1, partners: [partner()], preferences: { holdSeconds: 0 } });
    expect(issues).toEqual([]);
    expect(partners.map((p) => p.id)).toEqual(['buyer-b']);
  });

  it('refuses a policy of an unknown version', () => {
    expect(parseManagedPartners({ version: 7, partners: [partner()] }).partners).toEqual([]);
  });
});

describe('the managed-storage schema of the manifest', () => {
  it('declares exactly the partner fields of the settings file, with their types', async () => {
    const { readFile } = await import('node:fs/promises');
    const schema = JSON.parse(await readFile(new URL('../../public/managed-schema.json', import.meta.url), 'utf8')) as {
      properties: { partners: { items: { properties: Record<string, { type: string }> } } };
    };
    const declared = schema.properties.partners.items.properties;
    // The design example names every field but the later optional `stageMap`.
    const partner = { ...example().partners[0]!, stageMap: [{ from: 57, to: 9 }] };
    expect(Object.keys(declared).sort()).toEqual(Object.keys(partner).sort());
    for (const [key, value] of Object.entries(partner)) {
      const type = Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
      expect(declared[key]?.type, key).toBe(type);
    }
  });
});
