// How the extension behaves for this user, whichever partner.
import type { LanguagePreference } from '../i18n';
import { HOLD_SECONDS, LANGUAGE_CHOICES } from '../settings/schema';
import type { Draft } from './draft';
import { CheckField, SelectField, TextField, type IssueLookup } from './fields';
import { FIELD_LABELS, useT } from './text';

interface Props {
  preferences: Draft['preferences'];
  issues: IssueLookup;
  onChange: (patch: Partial<Draft['preferences']>) => void;
}

const LANGUAGE_NAMES = { auto: 'options_language_auto', en: 'options_language_en', uk: 'options_language_uk', ru: 'options_language_ru' } as const;

export function PreferencesSection({ preferences, issues, onChange }: Props) {
  const t = useT();
  const path = ['preferences'];
  return (
    <section aria-labelledby="preferences-title">
      <h2 id="preferences-title">{t(FIELD_LABELS.preferences)}</h2>
      <div class="card">
        <CheckField
          path={[...path, 'shareByDefault']}
          label={t(FIELD_LABELS.shareByDefault)}
          hint={t('options_share_by_default_hint')}
          issues={issues}
          checked={preferences.shareByDefault}
          onChange={(shareByDefault) => onChange({ shareByDefault })}
        />
        <TextField
          path={[...path, 'holdSeconds']}
          label={t(FIELD_LABELS.holdSeconds)}
          hint={t('options_hold_seconds_hint', [String(HOLD_SECONDS.min), String(HOLD_SECONDS.max)])}
          issues={issues}
          value={preferences.holdSeconds}
          inputMode="numeric"
          required
          onInput={(holdSeconds) => onChange({ holdSeconds })}
        />
        <SelectField
          path={[...path, 'language']}
          label={t(FIELD_LABELS.language)}
          issues={issues}
          value={preferences.language}
          options={LANGUAGE_CHOICES.map((value) => ({ value, label: t(LANGUAGE_NAMES[value]) }))}
          onChange={(language) => onChange({ language: language as LanguagePreference })}
        />
      </div>
    </section>
  );
}
