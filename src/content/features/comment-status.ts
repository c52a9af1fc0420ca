// A status mark beside each native comment the sync knows: queued (with "keep private" while
// the hold window lasts), sent, private, received, or failed (with the reason and a retry).
// The box redraws its comment list after each post, or draws a new list (the modern page), so
// marks are re-applied on every change, to whichever list the page shows.
import type { CommentView } from '../../messages/protocol';
import { request } from '../../messages/send';
import { commentIdOf, find, findAll } from '../../page/selectors';
import { watch } from '../anchors';
import { h, nextFrame } from '../dom';
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
/** A task that marks comments out of view stops after this long: half of a 60 Hz frame. */
const TASK_BUDGET_MS = 8;

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

/**
 * The items whose box meets the viewport, as the range [first, end) of the list. Comments stack
 * vertically in document order, so two binary searches over their boxes find it with about 20
 * reads and at most one layout (nothing is written in between). An IntersectionObserver would
 * have to observe all 1,000 items and answers only after the next frame, so the marks in view
 * would come in a later task than the setup.
 */
function inView(items: readonly Element[]): [first: number, end: number] {
  const firstWhere = (reached: (box: DOMRect) => boolean) => {
    let low = 0;
    let high = items.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (reached(items[middle]!.getBoundingClientRect())) high = middle;
      else low = middle + 1;
    }
    return low;
  };
  const first = firstWhere((box) => box.bottom > 0);
  return [first, Math.max(first, firstWhere((box) => box.top >= innerHeight))];
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
  // The reader sees only the comments in view: the first task of a pass marks those alone, and
  // the rest follow in tasks that each stop at a budget, so none holds up a frame of the page; a
  // newer pass stops an older one.
  let pass = 0;
  // A pass starts in the next frame: finding the comments in view reads the page's layout.
  const apply = () => {
    const current = ++pass;
    nextFrame(() => {
      if (current === pass && !signal.aborted) markFrom(current);
    });
  };
  const markFrom = (current: number) => {
    const started = performance.now();
    const items = list ? findAll(list, 'commentItem') : [];
    const [first, end] = inView(items);
    // Below the view first: that is where the reader scrolls to from the top of the page.
    const queue = [...items.slice(first, end), ...items.slice(end), ...items.slice(0, first)];
    // Timed for `npm run bench`; only the latest pass is kept, so an open page does not pile up entries.
    performance.clearMeasures(PASS_MEASURE);
    const task = (from: number, stop: number, budgetMs: number, start = performance.now()) => {
      if (current !== pass || signal.aborted) return;
      const views = page.get().comments;
      let next = from;
      while (next < stop && performance.now() - start < budgetMs) markItem(queue[next++]!, views);
      performance.measure(PASS_MEASURE, { start });
      if (next < queue.length) setTimeout(() => task(next, queue.length, TASK_BUDGET_MS), 0);
    };
    // Those in view are marked whatever it takes: they are what the reader sees now.
    task(0, end - first, Infinity, started);
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
