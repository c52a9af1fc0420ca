// The order's sync history on its page, under the link status: a control opens the list of
// what the sync did (the worker writes every sentence) and exports it as CSV. Nothing is asked
// before the manager opens it; while it is open it follows the page's refreshes.
import type { HistoryView } from '../../messages/protocol';
import { request } from '../../messages/send';
import { downloadText } from '../../ui/download';
import { h } from '../dom';
import type { PageState } from '../page-state';
import { failureText, t } from '../strings';

/** The control and its panel, one element the link status area places (and moves when it redraws). */
export function createHistory(page: PageState): HTMLElement {
  const panel = h('div', { role: 'region', 'aria-label': t('page_history_title'), class: 'history', hidden: true });
  let open = false;
  let shown: HistoryView | null = null;
  /** The order's links and marks as last seen: a change there is a reason to ask again. */
  let seen = '';

  const draw = (view: HistoryView) => {
    shown = view;
    // With several partners each line says whose it is.
    const many = new Set(view.entries.map((e) => e.partnerName)).size > 1;
    panel.replaceChildren(
      h('p', { class: 'title' }, t('page_history_title'), ' ',
        h('button', { type: 'button', 'data-partner-sync': 'history-export', onclick: () => shown && downloadText(panel, shown.csv.fileName, shown.csv.text) }, t('page_history_export'))),
      view.entries.length === 0
        ? h('p', { class: 'note' }, t('page_history_empty'))
        : h('ol', {}, ...view.entries.map((e) => h('li', { 'data-partner-sync': 'history-entry', 'data-event': e.event },
          h('time', { datetime: new Date(e.at).toISOString() }, e.atText), ' ', many ? `${e.partnerName}: ` : '', e.text, e.detail ? ` (${e.detail})` : ''))),
    );
  };

  const load = async () => {
    try {
      draw(await request('order/history', {}));
    } catch (error) {
      panel.replaceChildren(h('p', { class: 'problem', role: 'alert' }, failureText(error, 'page_no_background')));
      page.reportFailure(error);
    }
  };

  const toggle = h('button', { type: 'button', 'data-partner-sync': 'history', 'aria-expanded': 'false', onclick: () => {
    open = !open;
    toggle.setAttribute('aria-expanded', String(open));
    panel.hidden = !open;
    if (!open) return;
    if (!shown) panel.replaceChildren(h('p', { role: 'status' }, t('page_history_loading')));
    void load();
  } }, t('page_history'));

  // Something happened on the order (a link or a comment mark changed): the open list follows.
  page.subscribe((state) => {
    const key = JSON.stringify([state.links, state.comments]);
    if (key === seen) return;
    seen = key;
    if (open) void load();
  });
  return h('div', {}, toggle, panel);
}
