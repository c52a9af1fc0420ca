// The one schema of the settings file (design.md, version 1). The options form, imported files,
// stored settings and `storage.managed` all go through it, so a value the form refuses is refused
// everywhere, with the same per-field message. The one difference: what is read (stored, a file,
// the policy) first goes through the repairs of migrations.ts, which raise values older builds
// wrote to the current limits (a hold window of 0 to 2 s becomes 3 s); what the user types into
// the form (`asTyped`) is checked as it is. Decisions, documented in the README:
// - ids (`workflowId`, `statusId`) are positive whole numbers; a string of digits ("12") is
//   accepted too, because boxes hand ids out as strings; anything else is an error;
// - box addresses are reduced to their origin; `http://` only on loopback (127.0.0.0/8,
//   localhost, [::1]);
// - unknown fields are errors, so that a misspelt optional field is not silently ignored;
// - `restApiPassword` may be left out of a file (exports leave it out by default), but saving
//   needs one for every box.
import * as v from 'valibot';
import type { MessageKey } from '../i18n';
import { isOneBoxError, normaliseBoxUrl } from '../onebox';
import type { SettingsIssue } from './issues';
import { HOLD_SECONDS, MIN_HOLD_SECONDS } from './limits';
import { CURRENT_VERSION, MIGRATIONS, migrate, REPAIRS } from './migrations';
import type { PartnerSettings, Settings } from './types';

export { HOLD_SECONDS, MIN_HOLD_SECONDS };
export const LANGUAGE_CHOICES = ['auto', 'en', 'uk', 'ru'] as const;

const message = (key: MessageKey) => key;

const text = (max: number) =>
  v.pipe(
    v.string(message('settings_error_not_text')),
    v.trim(),
    v.nonEmpty(message('settings_error_required')),
    v.maxLength(max, message('settings_error_too_long')),
  );

const password = v.optional(v.pipe(v.string(message('settings_error_not_text')), v.maxLength(500, message('settings_error_too_long'))), '');

const boxUrl = v.pipe(
  text(2048),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    try {
      return normaliseBoxUrl(dataset.value);
    } catch (error) {
      addIssue({ message: isOneBoxError(error) ? error.messageKey : message('error_bad_url') });
      return NEVER;
    }
  }),
);

/** A positive whole number, or a string of its digits. */
const numericId = v.pipe(
  v.unknown(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const value = typeof dataset.value === 'string' ? dataset.value.trim() : dataset.value;
    if (value === '') {
      addIssue({ message: message('settings_error_required') });
      return NEVER;
    }
    if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
    if (typeof value === 'string' && /^[1-9]\d{0,14}$/.test(value)) return Number(value);
    addIssue({ message: message('settings_error_id_not_numeric') });
    return NEVER;
  }),
);

/** Absent and `null` both mean "not set" for the optional fields. */
const optional = <T extends v.GenericSchema>(schema: T) =>
  v.pipe(v.nullish(schema), v.transform((value) => value ?? undefined));

const boolean = (fallback: boolean) => v.optional(v.boolean(message('settings_error_not_boolean')), fallback);

const ownBox = v.strictObject(
  { url: boxUrl, login: text(200), restApiPassword: password, companyName: optional(text(100)) },
  message('settings_error_not_object'),
);

const fieldMapping = v.strictObject({ from: text(100), to: text(100) }, message('settings_error_not_object'));
const stageMapping = v.strictObject({ from: numericId, to: numericId }, message('settings_error_not_object'));

const partner = v.strictObject(
  {
    id: v.pipe(text(64), v.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, message('settings_error_partner_id'))),
    name: text(100),
    boxUrl,
    login: text(200),
    restApiPassword: password,
    assigneeEmail: v.pipe(text(254), v.email(message('settings_error_bad_email'))),
    workflowId: numericId,
    statusId: optional(numericId),
    syncOnlyClientVisibleComments: boolean(true),
    syncClient: boolean(false),
    fieldMap: optional(v.array(fieldMapping, message('settings_error_not_list'))),
    stageMap: optional(v.array(stageMapping, message('settings_error_not_list'))),
    autoSend: optional(v.strictObject({ workflowId: numericId, statusId: numericId }, message('settings_error_not_object'))),
  },
  message('settings_error_not_object'),
);

const preferences = v.strictObject(
  {
    shareByDefault: boolean(true),
    // One message per value: 2.5 is not a whole number, it is not also "at least 3".
    holdSeconds: v.optional(
      v.config(
        v.pipe(
          v.number(message('settings_error_hold_seconds')),
          v.integer(message('settings_error_hold_seconds')),
          v.minValue(HOLD_SECONDS.min, message('settings_error_hold_seconds_min')),
          v.maxValue(HOLD_SECONDS.max, message('settings_error_hold_seconds')),
        ),
        { abortPipeEarly: true },
      ),
      HOLD_SECONDS.default,
    ),
    language: v.optional(v.picklist(LANGUAGE_CHOICES, message('settings_error_language')), 'auto'),
  },
  message('settings_error_not_object'),
);

const settingsFile = v.strictObject(
  {
    version: v.literal(1),
    ownBox: v.optional(v.nullable(ownBox), null),
    partners: v.optional(v.array(partner, message('settings_error_not_list')), []),
    preferences: v.optional(preferences, {}),
  },
  message('settings_error_not_object'),
);

type Raw = Record<string, unknown>;
const asRecord = (value: unknown): Raw | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : null;
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const trimmed = (value: unknown): string | null => (typeof value === 'string' ? value.trim() : null);

export interface ParseOptions {
  /** Saving needs every password; a file exported without them is still a valid file. */
  requirePasswords?: boolean;
  /** Ids of company-wide partners, which the user's own partners may not reuse. */
  managedIds?: readonly string[];
  /**
   * What the user typed into the options form just now: checked as it is, without the repairs
   * for values older builds stored (a hold window under 3 s is refused, not raised).
   */
  asTyped?: boolean;
}

export type ParseResult = { ok: true; settings: Settings } | { ok: false; issues: SettingsIssue[] };

/** The settings of a file that sets nothing: no own box, no partners, default preferences. */
export function defaultSettings(): Settings {
  return v.parse(settingsFile, { version: CURRENT_VERSION });
}

/** Reads a settings file (any known version) into settings, or lists everything wrong with it. */
export function parseSettings(input: unknown, options: ParseOptions = {}): ParseResult {
  const migrated = migrate(input, MIGRATIONS, CURRENT_VERSION, options.asTyped ? {} : REPAIRS);
  if (!migrated.ok) return migrated;
  const parsed = v.safeParse(settingsFile, migrated.file, { abortEarly: false });
  const issues = [...(parsed.success ? [] : parsed.issues.map(toIssue)), ...crossChecks(migrated.file, options)];
  if (!parsed.success || issues.length > 0) return { ok: false, issues: sortIssues(issues) };
  return { ok: true, settings: parsed.output };
}

/**
 * Company-wide partners from `storage.managed` (`{"version": 1, "partners": [...]}`, `version`
 * optional). A broken entry is reported and left out; the others still work.
 */
export function parseManagedPartners(input: unknown): { partners: PartnerSettings[]; issues: SettingsIssue[] } {
  const migrated = migrate({ version: CURRENT_VERSION, ...asRecord(input) });
  if (!migrated.ok) return { partners: [], issues: migrated.issues };
  const list = migrated.file.partners ?? [];
  if (!Array.isArray(list)) return { partners: [], issues: [{ path: ['partners'], messageKey: 'settings_error_not_list' }] };
  const partners: PartnerSettings[] = [];
  const issues: SettingsIssue[] = [];
  const cross = crossChecks({ partners: list }, { requirePasswords: true });
  list.forEach((entry: unknown, index) => {
    const parsed = v.safeParse(partner, entry, { abortEarly: false });
    const own = [
      ...(parsed.success ? [] : parsed.issues.map(toIssue).map((issue) => ({ ...issue, path: ['partners', index, ...issue.path] }))),
      ...cross.filter((issue) => issue.path[1] === index),
    ];
    issues.push(...own);
    if (parsed.success && own.length === 0) partners.push({ ...parsed.output, managed: true });
  });
  return { partners, issues };
}

function toIssue(issue: v.BaseIssue<unknown>): SettingsIssue {
  const path = (issue.path ?? []).map((item) => item.key as string | number);
  if (issue.type === 'strict_object' && issue.expected === 'never') {
    return { path, messageKey: 'settings_error_unknown_field', substitutions: [String(path.at(-1))] };
  }
  if (issue.kind === 'schema' && issue.input === undefined) return { path, messageKey: 'settings_error_required' };
  const messageKey = issue.message as MessageKey;
  if (messageKey === 'settings_error_too_long') return { path, messageKey, substitutions: [String(issue.requirement)] };
  if (messageKey === 'settings_error_hold_seconds') return { path, messageKey, substitutions: [String(HOLD_SECONDS.min), String(HOLD_SECONDS.max)] };
  if (messageKey === 'settings_error_hold_seconds_min') return { path, messageKey, substitutions: [String(MIN_HOLD_SECONDS)] };
  return { path, messageKey };
}

function passwordIssues(boxValue: unknown, path: (string | number)[]): SettingsIssue[] {
  const record = asRecord(boxValue);
  if (!record) return [];
  const value = record.restApiPassword;
  return value === undefined || value === null || value === ''
    ? [{ path: [...path, 'restApiPassword'], messageKey: 'settings_error_password_missing' }]
    : [];
}

/**
 * What one field cannot know alone: unique ids, unique field targets and partner stages (a
 * stage moving the own order to two stages at once), passwords for saving.
 */
function crossChecks(file: Raw, options: ParseOptions): SettingsIssue[] {
  const issues: SettingsIssue[] = [];
  if (options.requirePasswords) issues.push(...passwordIssues(file.ownBox, ['ownBox']));
  const managed = new Set(options.managedIds ?? []);
  const seen = new Set<string>();
  asList(file.partners).forEach((entry, index) => {
    const record = asRecord(entry);
    if (!record) return;
    const path = ['partners', index];
    if (options.requirePasswords) issues.push(...passwordIssues(record, path));
    const id = trimmed(record.id);
    if (id) {
      if (managed.has(id)) issues.push({ path: [...path, 'id'], messageKey: 'settings_error_managed_partner_id', substitutions: [id] });
      else if (seen.has(id)) issues.push({ path: [...path, 'id'], messageKey: 'settings_error_duplicate_partner_id', substitutions: [id] });
      seen.add(id);
    }
    issues.push(
      ...repeatedRows(record, path, 'fieldMap', 'to', 'settings_error_duplicate_target'),
      ...repeatedRows(record, path, 'stageMap', 'from', 'settings_error_duplicate_stage'),
    );
  });
  return issues;
}

/** The rows of a partner's map whose `column` repeats an earlier row's. */
function repeatedRows(partnerRecord: Raw, path: (string | number)[], map: 'fieldMap' | 'stageMap', column: 'from' | 'to', messageKey: MessageKey): SettingsIssue[] {
  const issues: SettingsIssue[] = [];
  const seen = new Set<string>();
  asList(partnerRecord[map]).forEach((row, rowIndex) => {
    const cell = asRecord(row)?.[column];
    const value = typeof cell === 'number' ? String(cell) : trimmed(cell);
    if (!value) return;
    if (seen.has(value)) issues.push({ path: [...path, map, rowIndex, column], messageKey, substitutions: [value] });
    seen.add(value);
  });
  return issues;
}

/** Issues in the order of the fields in the file, which is the order of the form. */
function sortIssues(issues: SettingsIssue[]): SettingsIssue[] {
  const order = ['version', 'ownBox', 'partners', 'preferences'];
  const rank = (issue: SettingsIssue) => {
    const top = order.indexOf(String(issue.path[0]));
    return [top === -1 ? order.length : top, typeof issue.path[1] === 'number' ? issue.path[1] : 0];
  };
  return issues
    .map((issue, index) => ({ issue, index, rank: rank(issue) }))
    .sort((a, b) => a.rank[0]! - b.rank[0]! || a.rank[1]! - b.rank[1]! || a.index - b.index)
    .map(({ issue }) => issue);
}
