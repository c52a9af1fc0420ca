// Settings files carry a `version`. A file from an older version is brought up to the current one
// step by step (migration n turns version n into n + 1) before the schema of schema.ts reads it;
// a version we do not know is an error, never a guess.
import type { SettingsIssue } from './issues';

export const CURRENT_VERSION = 1;

type Json = Record<string, unknown>;
/** Migration `n` turns a version-n file into a version-(n + 1) file. */
export type Migrations = Readonly<Record<number, (file: Json) => Json>>;

// Version 1 is the first published format: nothing to migrate from yet. When version 2 comes,
// its step goes here as `1: (file) => ({ ...file, version: 2, ... })`.
export const MIGRATIONS: Migrations = {};

export type MigrationResult = { ok: true; file: Json } | { ok: false; issues: SettingsIssue[] };

export function migrate(input: unknown, migrations: Migrations = MIGRATIONS, current = CURRENT_VERSION): MigrationResult {
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
  for (let from = version; from < current; from++) {
    const step = migrations[from];
    if (!step) return unknown;
    file = step(file);
  }
  return { ok: true, file };
}
