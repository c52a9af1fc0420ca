import { isMessageKey, resolveLanguage, translate, type Language } from '../i18n';
import { uiLanguage } from '../platform/browser-api';
import { loadSettings } from '../settings/store';
import type { Settings } from '../settings/types';

/** The language the user chose, or the browser's when they left it on "auto". */
export function pageLanguage(settings: Settings): Language {
  return resolveLanguage(settings.preferences.language, uiLanguage());
}

export async function describeInUserLanguage(messageKey: string): Promise<string> {
  const language = pageLanguage(await loadSettings());
  return isMessageKey(messageKey) ? translate(language, messageKey) : messageKey;
}
