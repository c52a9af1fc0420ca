// Handlers for what the content script asks when it starts on a page.
import { messagesWithPrefix, resolveLanguage } from '../../i18n';
import { uiLanguage } from '../../platform/browser-api';
import { loadSettings } from '../../settings/store';
import type { Handlers } from '../router';

export const pageHandlers: Pick<Handlers, 'page/hello'> = {
  'page/hello': async ({ url }) => {
    const settings = await loadSettings();
    const language = resolveLanguage(settings.preferences.language, uiLanguage());
    const ownBoxOrigin = settings.ownBox ? new URL(settings.ownBox.url).origin : null;
    return { language, strings: messagesWithPrefix(language, 'page_'), ownBox: new URL(url).origin === ownBoxOrigin };
  },
};
