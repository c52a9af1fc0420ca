// Import and export of the settings file (design.md). An import that is not a valid file lists
// what is wrong and changes nothing; an export leaves the passwords out unless asked.
import { useState } from 'preact/hooks';
import type { MessageKey } from '../i18n';
import type { SettingsIssue } from '../settings/issues';
import { IssueList } from './IssueList';
import { useT } from './text';

export type ImportResult = { ok: true; messageKey: MessageKey } | { ok: false; messageKey: MessageKey; issues: SettingsIssue[]; file: unknown };

interface Props {
  onImport: (file: File) => void;
  onExport: (includePasswords: boolean) => void;
  result: ImportResult | null;
  /** The form differs from what is saved (an export holds the saved settings). */
  dirty: boolean;
}

export function SettingsFileSection({ onImport, onExport, result, dirty }: Props) {
  const t = useT();
  const [includePasswords, setIncludePasswords] = useState(false);
  return (
    <section aria-labelledby="file-title">
      <h2 id="file-title">{t('options_file_title')}</h2>
      <div class="card">
        <div class="field">
          <label for="import-settings">{t('options_import')}</label>
          <input
            id="import-settings"
            type="file"
            accept="application/json,.json"
            data-partner-sync="import-settings"
            aria-describedby="import-settings-hint"
            onChange={(event) => {
              const input = event.currentTarget;
              const chosen = input.files?.[0];
              // Cleared so that choosing the same file again, after fixing it, imports it again.
              input.value = '';
              if (chosen) onImport(chosen);
            }}
          />
          <p class="hint" id="import-settings-hint">
            {t('options_import_hint')}
          </p>
        </div>
        <div role="alert" class="import-result">
          {result &&
            (result.ok ? (
              <p class="good">{t(result.messageKey)}</p>
            ) : (
              <div class="notice bad">
                <p>{t(result.messageKey, [String(result.issues.length)])}</p>
                <IssueList issues={result.issues} file={result.file} />
              </div>
            ))}
        </div>
        <div class="field check">
          <input id="export-passwords" type="checkbox" checked={includePasswords} aria-describedby="export-passwords-hint" onChange={(event) => setIncludePasswords(event.currentTarget.checked)} />
          <label for="export-passwords">{t('options_export_passwords')}</label>
          <p class="hint" id="export-passwords-hint">
            {t(includePasswords ? 'options_export_passwords_warning' : 'options_export_passwords_hint')}
          </p>
        </div>
        <button type="button" data-partner-sync="export-settings" onClick={() => onExport(includePasswords)}>
          {t('options_export')}
        </button>
        {dirty && <p class="hint">{t('options_export_saved_only')}</p>}
      </div>
    </section>
  );
}
