import type { MessageKey } from '../i18n';

/**
 * One thing wrong with a settings file or the options form: where (`['partners', 0, 'boxUrl']`)
 * and what, as a message key so that each page says it in its own language.
 */
export interface SettingsIssue {
  path: (string | number)[];
  messageKey: MessageKey;
  substitutions?: string[];
}

export const pathKey = (path: readonly (string | number)[]): string => path.join('.');
