import { render } from 'preact';
import { resolveLanguage, translate } from '../i18n';
import { openOptionsPage, uiLanguage } from '../platform/browser-api';

const language = resolveLanguage('auto', uiLanguage());
document.documentElement.lang = language;

render(
  <main>
    <h1>{translate(language, 'popup_title')}</h1>
    <button type="button" onClick={() => void openOptionsPage()}>
      {translate(language, 'popup_open_options')}
    </button>
  </main>,
  document.getElementById('app')!,
);
