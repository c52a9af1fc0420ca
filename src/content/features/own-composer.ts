// Where the box's own comment composer is not found, the extension offers its own: a text box
// with the same pictogram, posting into the local order through the worker.
import { MessageError, request } from '../../messages/send';
import { find } from '../../page/selectors';
import { h, shadowHost } from '../dom';
import type { PageState } from '../page-state';
import { t } from '../strings';
import { createToggle, isLinked } from './share-toggle';
import css from './send-to-partner.css?inline';

export function init(signal: AbortSignal, page: PageState): void {
  const { host, root } = shadowHost('composer', css);
  const textarea = h('textarea', { 'data-partner-sync': 'composer-text', rows: '3', 'aria-label': t('page_composer_label') });
  const toggle = createToggle(page);
  const status = h('p', { role: 'status', class: 'note' });
  const post = h('button', { type: 'button', class: 'primary', 'data-partner-sync': 'composer-post', onclick: async () => {
    const text = textarea.value;
    if (text.trim() === '') return;
    // Nothing can be typed while the post is under way, so clearing it afterwards loses nothing.
    post.disabled = textarea.disabled = true;
    try {
      await request('comment/post', { text, share: toggle.shared() });
      textarea.value = '';
      toggle.reset();
      status.textContent = t('page_composer_posted');
    } catch (error) {
      status.textContent = error instanceof MessageError ? error.text : String(error);
    } finally {
      post.disabled = textarea.disabled = false;
    }
  } }, t('page_composer_post'));
  root.append(h('div', { class: 'panel' }, h('p', { class: 'note' }, t('page_composer_fallback')), textarea, h('div', {}, toggle.button, post), status));
  const place = () => {
    if (!isLinked(page)) return host.remove();
    if (host.isConnected) return;
    const list = find(document, 'commentList');
    if (list) list.after(host);
    else document.body.append(host);
  };
  signal.addEventListener('abort', () => host.remove());
  page.subscribe(place);
  place();
}
