// Settings files carry a `version`. A file from an older version is brought up to the current one
// step by step (migration n turns version n into n + 1) before the schema of schema.ts reads it;
// a version we do not know is an error, never a guess.
//
// A version's repairs fix, without changing the format, values that builds of that version wrote
// and that the current rules no longer accept (version 1: a hold window under 3 s). They run on a
// file at that version, before its next step, so that every later step sees a repaired file.
// Everything read goes through them: stored settings, an imported file, the company policy
// (schema.ts). Only what the user types into the options form is checked without them.
import type { SettingsIssue } from './issues';
import { MIN_HOLD_SECONDS } from './limits';

export const CURRENT_VERSION = 1;

type Json = Record<string, unknown>;
/** Migration `n` turns a version-n file into a version-(n + 1) file. */
export type Migrations = Readonly<Record<number, (file: Json) => Json>>;
/** Repairs of version `n`: each takes a version-n file and gives a version-n file. */
export type Repairs = Readonly<Record<number, readonly ((file: Json) => Json)[]>>;

// Version 1 is the first published format: nothing to migrate from yet. When version 2 comes,
// its step goes here as `1: (file) => ({ ...file, version: 2, ... })`.
export const MIGRATIONS: Migrations = {};

const asRecord = (value: unknown): Json | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;

/**
 * Builds before the 3 s floor accepted a hold window of 0 to 600 seconds: 0, 1 and 2 are raised
 * to MIN_HOLD_SECONDS. Anything else is left for the schema to accept or refuse as it is.
 */
export function raiseHoldSeconds(file: Json): Json {
  const preferences = asRecord(file.preferences);
  const hold = preferences?.holdSeconds;
  if (!preferences || typeof hold !== 'number' || !Number.isInteger(hold) || hold < 0 || hold >= MIN_HOLD_SECONDS) return file;
  return { ...file, preferences: { ...preferences, holdSeconds: MIN_HOLD_SECONDS } };
}

export const REPAIRS: Repairs = { 1: [raiseHoldSeconds] };

export type MigrationResult = { ok: true; file: Json } | { ok: false; issues: SettingsIssue[] };

/** Brings a file of any known version to the current one; never changes the file it is given. */
export function migrate(input: unknown, migrations: Migrations = MIGRATIONS, current = CURRENT_VERSION, repairs: Repairs = REPAIRS): MigrationResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, issues: [{ path: [], messageKey: 'settings_error_not_object' }] };
  }
  let file = input as Json;
  const version = file.version;
  if (version === undefined) {
    return { ok: false, issues: [{ path: ['version'], messageKey: 'settings_error_version_missing', substitutions: [String(current)] }] };
  }
  if (typeof version === 'number' && Number.isInteger(version) && version > current) {
    return { ok: false, issues: [{ path: ['version'], messageKey: 'settings_error_version_newer', substitutions: [String(version)] }] };
  }
  const unknown: MigrationResult = {
    ok: false,
    issues: [{ path: ['version'], messageKey: 'settings_error_version_unknown', substitutions: [JSON.stringify(version), String(current)] }],
  };
  if (typeof version !== 'number' || !Number.isInteger(version)) return unknown;
  const applyRepairs = (at: number) => {
    for (const repair of repairs[at] ?? []) file = repair(file);
  };
  for (let from = version; from < current; from++) {
    const step = migrations[from];
    if (!step) return unknown;
    applyRepairs(from);
    file = step(file);
  }
  applyRepairs(current);
  return { ok: true, file };
}
