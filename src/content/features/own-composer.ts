// Where the box's own comment composer is not found, the extension offers its own: a text box
// with the same pictogram, posting into the local order through the worker. "Visible to partner"
// and "visible in the client cabinet" (the own customer) are two separate, labelled choices.
import { request } from '../../messages/send';
import { find } from '../../page/selectors';
import { h, shadowHost } from '../dom';
import type { PageState } from '../page-state';
import { failureText, t } from '../strings';
import { createChoices, isLinked, type Choices } from './share-toggle';
import css from './send-to-partner.css?inline';

export function init(signal: AbortSignal, page: PageState, initial: boolean): Choices {
  console.warn('[Partner Sync] comment composer not found: offering the extension’s own');
  const { host, root } = shadowHost('composer', css);
  const textarea = h('textarea', { 'data-partner-sync': 'composer-text', rows: '3', 'aria-label': t('page_composer_label') });
  const choices = createChoices(page, initial);
  const { toggle } = choices;
  // Off by default: sharing with the partner must not also publish to the own customer.
  const clientVisible = h('input', { type: 'checkbox', 'data-partner-sync': 'composer-client-visible' });
  const status = h('p', { role: 'status', class: 'note' });
  const post = h('button', { type: 'button', class: 'primary', 'data-partner-sync': 'composer-post', onclick: async (event: Event) => {
    const text = textarea.value;
    if (!event.isTrusted || text.trim() === '') return;
    // Nothing can be typed while the post is under way, so clearing it afterwards loses nothing.
    post.disabled = textarea.disabled = true;
    try {
      await request('comment/post', { text, share: toggle.shared(), clientVisible: clientVisible.checked });
      textarea.value = '';
      toggle.set(page.get().shareByDefault);
      void choices.tellComposer();
      status.textContent = t('page_composer_posted');
    } catch (error) {
      status.textContent = failureText(error, 'page_no_background');
      page.reportFailure(error);
    } finally {
      post.disabled = textarea.disabled = false;
    }
  } }, t('page_composer_post'));
  const cabinet = h('label', { title: t('page_composer_client_visible_hint') }, clientVisible, t('page_composer_client_visible'));
  root.append(h('div', { class: 'panel' }, h('p', { class: 'note' }, t('page_composer_fallback')), textarea, h('div', {}, toggle.button, cabinet, post), toggle.note, status));
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
  return choices;
}
