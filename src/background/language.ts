import { resolveLanguage, type Language } from '../i18n';
import { uiLanguage } from '../platform/browser-api';
import type { Settings } from '../settings/types';

/** The language the user chose, or the browser's when they left it on "auto". */
export function pageLanguage(settings: Settings): Language {
  return resolveLanguage(settings.preferences.language, uiLanguage());
}
