// A status mark beside each native comment the sync knows: queued (with "keep private" while
// the hold window lasts), sent, private, received, or failed (with the reason and a retry).
// The box redraws its comment list after each post, or draws a new list (the modern page), so
// marks are re-applied on every change, to whichever list the page shows.
import type { CommentView } from '../../messages/protocol';
import { request } from '../../messages/send';
import { commentIdOf, find, findAll } from '../../page/selectors';
import { watch } from '../anchors';
import { h } from '../dom';
import type { PageState } from '../page-state';
import { failureText, t } from '../strings';

const LABELS: Record<CommentView['state'], { label: string; hint: string }> = {
  queued: { label: 'page_status_queued', hint: 'page_status_queued_hint' },
  sent: { label: 'page_status_sent', hint: 'page_status_sent_hint' },
  private: { label: 'page_status_private', hint: 'page_status_private_hint' },
  received: { label: 'page_status_received', hint: 'page_status_received_hint' },
  failed: { label: 'page_status_failed', hint: 'page_status_failed_hint' },
};

const PASS_MEASURE = 'partner-sync:comment-status';
const SLICE = 150;

/** What the last "keep private" or "Retry" of a comment came to, when it did not simply work. */
const notes = new Map<string, string>();

const hintOf = (view: CommentView) => view.problem ?? t(LABELS[view.state].hint);

const STYLE = 'margin-left:8px;font:12px/1.4 system-ui,sans-serif;padding:1px 6px;border-radius:9px;background:#eef1f4;color:#1b1f24;';
const BUTTON = 'margin-left:6px;font:12px system-ui,sans-serif;cursor:pointer;';

function mark(commentId: string, view: CommentView, page: PageState): HTMLElement {
  const holdLeft = view.holdUntil !== undefined && view.holdUntil > Date.now();
  const label = h('span', {}, t(LABELS[view.state].label));
  const element = h('span', {
    'data-partner-sync': 'comment-status',
    'data-state': view.state,
    'data-comment-id': commentId,
    title: hintOf(view),
    style: STYLE + (view.state === 'failed' ? 'background:#fde7e9;color:#a40e26;' : ''),
  }, label);
  if (view.state === 'queued' && holdLeft) {
    element.append(h('button', { type: 'button', style: BUTTON, 'data-partner-sync': 'make-private', onclick: async (event: Event) => {
      if (!event.isTrusted) return;
      try {
        // Its write may have started a moment ago: then the page says so, never "kept private".
        const outcome = await request('comment/choice', { commentId, share: false });
        if (outcome === 'already-sent') notes.set(commentId, t('page_already_sent'));
      } catch (error) {
        notes.set(commentId, failureText(error, 'page_choice_not_recorded'));
        page.reportFailure(error);
      }
      await page.refresh();
    } }, t('page_make_private')));
  }
  const note = notes.get(commentId);
  if (note) element.append(h('span', { 'data-partner-sync': 'comment-note' }, ` ${note}`));
  if (view.state === 'failed') {
    if (view.problem) element.append(`: ${view.problem}`);
    element.append(h('button', { type: 'button', style: BUTTON, 'data-partner-sync': 'retry-comment', onclick: async () => {
      try {
        await request('comment/retry', { commentId });
        notes.delete(commentId);
      } catch (error) {
        notes.set(commentId, failureText(error, 'page_no_background'));
        page.reportFailure(error);
      }
      await page.refresh();
    } }, t('page_retry')));
  }
  return element;
}

export function init(signal: AbortSignal, page: PageState): void {
  let list: Element | null = null;
  const markItem = (item: Element, views: Record<string, CommentView>) => {
    const id = commentIdOf(item);
    const view = id ? views[id] : undefined;
    const existing = item.querySelector<HTMLElement>('[data-partner-sync=comment-status]');
    const holding = view?.holdUntil !== undefined && view.holdUntil > Date.now();
    const same = existing && view && existing.dataset.state === view.state && existing.title === hintOf(view)
      && Boolean(existing.querySelector('[data-partner-sync=make-private]')) === (view.state === 'queued' && holding)
      && Boolean(existing.querySelector('[data-partner-sync=comment-note]')) === (id !== null && notes.has(id));
    if (same) return;
    existing?.remove();
    if (id && view) (find(item, 'commentHead') ?? item).append(mark(id, view, page));
  };
  // A long list is marked in slices, one task each, so the page stays responsive (no task over
  // the browser's 50 ms long-task line on a page of 1,000 comments); a newer pass stops an older.
  let pass = 0;
  const apply = () => {
    const current = ++pass;
    const items = list ? findAll(list, 'commentItem') : [];
    // Timed for `npm run bench`; only the latest pass is kept, so an open page does not pile up entries.
    performance.clearMeasures(PASS_MEASURE);
    const slice = (from: number) => {
      if (current !== pass || signal.aborted) return;
      const start = performance.now();
      const views = page.get().comments;
      for (const item of items.slice(from, from + SLICE)) markItem(item, views);
      performance.measure(PASS_MEASURE, { start });
      if (from + SLICE < items.length) setTimeout(() => slice(from + SLICE), 0);
    };
    slice(0);
  };
  // The box redrew its list, or drew a new one (usually: a comment was just posted): ask for
  // fresh states now.
  const observer = new MutationObserver(() => {
    apply();
    void page.refresh();
  });
  watch(signal, 'commentList', (found) => {
    if (list) void page.refresh();
    observer.disconnect();
    list = found;
    if (found) observer.observe(found, { childList: true, subtree: false });
    apply();
  });
  signal.addEventListener('abort', () => {
    observer.disconnect();
    for (const element of document.querySelectorAll('[data-partner-sync=comment-status]')) element.remove();
  });
  page.subscribe(apply);
}
