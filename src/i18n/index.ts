// Translations for every context but the content script (which asks the background for its
// strings, to stay small). The `_locales/*/messages.json` files are the single source: Chrome
// uses them for the manifest, we bundle them so the user's language preference can override
// the browser's UI language.
import en from '../../public/_locales/en/messages.json';
import uk from '../../public/_locales/uk/messages.json';
import ru from '../../public/_locales/ru/messages.json';

export const LANGUAGES = ['en', 'uk', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];
export type LanguagePreference = Language | 'auto';
export type MessageKey = keyof typeof en;

type Bundle = Record<string, { message: string } | undefined>;
const bundles: Record<Language, Bundle> = { en, uk, ru };

/** Picks a supported language from a preference and the browser's UI language (e.g. "uk-UA"). */
export function resolveLanguage(preference: LanguagePreference, uiLanguage: string): Language {
  if (preference !== 'auto') return preference;
  const base = uiLanguage.toLowerCase().split(/[-_]/)[0];
  return (LANGUAGES as readonly string[]).includes(base ?? '') ? (base as Language) : 'en';
}

/** `$1`..`$9` in a message are replaced by the substitutions, as chrome.i18n does. */
export function translate(language: Language, key: MessageKey, substitutions: readonly string[] = []): string {
  const template = bundles[language][key]?.message ?? bundles.en[key]?.message ?? key;
  return template.replace(/\$(\d)/g, (whole, digit: string) => substitutions[Number(digit) - 1] ?? whole);
}

/** All messages of one language whose key starts with one of the prefixes: what a content script needs. */
export function messagesWithPrefix(language: Language, ...prefixes: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(en)) {
    if (prefixes.some((prefix) => key.startsWith(prefix))) out[key] = translate(language, key as MessageKey);
  }
  return out;
}
