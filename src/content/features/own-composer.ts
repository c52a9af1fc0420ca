// Where the page has no comment composer we know, the extension offers its own: a text box
// with the same pictogram, posting into the local order through the worker. "Visible to partner"
// and "visible in the client cabinet" (the own customer) are two separate, labelled choices.
import { request } from '../../messages/send';
import { find } from '../../page/selectors';
import { h, shadowHost } from '../dom';
import type { PageState } from '../page-state';
import { failureText, t } from '../strings';
import type { Choices } from './share-toggle';
import css from './send-to-partner.css?inline';

/** The composer's elements; `actions` is where the pictogram goes. */
function build(page: PageState, choices: Choices): { host: HTMLElement; actions: HTMLElement } {
  const { host, root } = shadowHost('composer', css);
  const textarea = h('textarea', { 'data-partner-sync': 'composer-text', rows: '3', 'aria-label': t('page_composer_label') });
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
  const actions = h('div', {}, cabinet, post);
  root.append(h('div', { class: 'panel' }, h('p', { class: 'note' }, t('page_composer_fallback')), textarea, actions, status));
  return { host, actions };
}

/**
 * Returns what shows or hides it (share-toggle.ts decides when). Built the first time it is
 * shown: most pages have a composer of their own, and the page's first task stays short.
 */
export function init(signal: AbortSignal, page: PageState, choices: Choices): (shown: boolean) => void {
  const { toggle } = choices;
  let built: ReturnType<typeof build> | undefined;
  signal.addEventListener('abort', () => built?.host.remove());
  return (shown) => {
    if (!shown) return built?.host.remove();
    built ??= build(page, choices);
    const { host, actions } = built;
    // The pictogram was beside the box's composer until that went; moved only when elsewhere, so focus stays.
    if (toggle.button.parentNode !== actions) {
      actions.prepend(toggle.button);
      actions.after(toggle.note);
    }
    if (host.isConnected) return;
    const list = find(document, 'commentList');
    if (list) list.after(host);
    else document.body.append(host);
  };
}
