// @vitest-environment happy-dom
// Status marks on a long comment list (src/content/features/comment-status.ts): the first task
// marks only the comments in view, the rest follow in tasks that each keep to their budget, every
// comment ends up with its mark, a newer pass stops an older one, and the abort takes the marks
// away. The layout and the clock are the test's: each item is 100 px high, each mark costs 1 ms.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommentView, OrderPageState } from '../../src/messages/protocol';
import type { PageState } from '../../src/content/page-state';

vi.mock('../../src/messages/send', () => ({ request: vi.fn(async () => null) }));

const COMMENTS = 1_000;
const ITEM_PX = 100;
const VIEWPORT_PX = 800;
/** Scrolled to the middle of the list: items 500 (half shown) to 508 are in view. */
const SCROLLED_PX = 50_050;
const IN_VIEW = Array.from({ length: 9 }, (_, i) => `c${500 + i}`);
const MARK_MS = 1;
const BUDGET_MS = 8;

let clock = 0;
let boxReads = 0;
let controller: AbortController;
let listeners: ((state: OrderPageState) => void)[];

const STATES: CommentView['state'][] = ['queued', 'sent', 'private', 'received', 'failed'];
const viewOf = (i: number): CommentView => {
  const state = STATES[i % STATES.length]!;
  if (state === 'queued') return { state, holdUntil: Date.now() + 600_000 };
  if (state === 'failed') return { state, problem: 'The box refused the data.' };
  return { state };
};
const views = Object.fromEntries(Array.from({ length: COMMENTS }, (_, i) => [`c${i}`, viewOf(i)]));

function drawList(): Element {
  const items = Array.from({ length: COMMENTS }, (_, i) =>
    `<div class="comment-item js-item-comment" data-index="${i}"><div class="chead"><a class="name" data-id="7">Olena</a></div><div class="cbody" id="js-text-c${i}">Comment ${i}</div></div>`);
  document.body.innerHTML = `<div class="ob-block-comments">${items.join('')}</div>`;
  return document.querySelector('.ob-block-comments')!;
}

const marksIn = (root: ParentNode) => [...root.querySelectorAll<HTMLElement>('[data-partner-sync=comment-status]')];
const markedIds = (root: ParentNode = document) => marksIn(root).map((mark) => mark.dataset.commentId);

/** Runs the next pending task; returns how long it took on the test's clock. */
function nextTask(): number {
  const before = clock;
  vi.advanceTimersToNextTimer();
  return clock - before;
}

function runAllTasks(): number[] {
  const spent: number[] = [];
  while (vi.getTimerCount() > 0) spent.push(nextTask());
  return spent;
}

async function start(): Promise<void> {
  const { init } = await import('../../src/content/features/comment-status');
  const state = { comments: views } as unknown as OrderPageState;
  const page: PageState = {
    get: () => state,
    set: () => undefined,
    subscribe: (listener) => void listeners.push(listener),
    refresh: async () => undefined,
    reportFailure: () => undefined,
  };
  init(controller.signal, page);
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame'] });
  vi.resetModules();
  clock = 0;
  boxReads = 0;
  listeners = [];
  controller = new AbortController();
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
  vi.spyOn(performance, 'measure').mockImplementation(() => undefined as unknown as PerformanceMeasure);
  vi.spyOn(window, 'innerHeight', 'get').mockReturnValue(VIEWPORT_PX);
  vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
    boxReads += 1;
    const top = Number(this.getAttribute('data-index')) * ITEM_PX - SCROLLED_PX;
    return DOMRect.fromRect({ x: 0, y: top, width: 600, height: ITEM_PX });
  });
  const append = Element.prototype.append;
  vi.spyOn(Element.prototype, 'append').mockImplementation(function (this: Element, ...nodes: (Node | string)[]) {
    if (nodes.some((node) => node instanceof Element && node.getAttribute('data-partner-sync') === 'comment-status')) clock += MARK_MS;
    append.apply(this, nodes);
  });
  drawList();
});
afterEach(() => {
  controller.abort();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('comment status marks on a list of 1,000 comments', () => {
  it('marks only the comments in view, in the next frame, finding them without reading every box', async () => {
    await start();
    // Not in the setup's own task: the frame after it, when the page's layout is made anyway.
    expect(markedIds()).toEqual([]);
    expect(boxReads).toBe(0);
    nextTask();
    expect(markedIds()).toEqual(IN_VIEW);
    expect(boxReads).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(COMMENTS)) + 2);
  });

  it('marks the rest in tasks that each keep to the budget, those below the view first, until every comment is marked as it was', async () => {
    await start();
    nextTask();
    nextTask();
    expect(markedIds().slice(IN_VIEW.length)).toEqual(Array.from({ length: BUDGET_MS / MARK_MS }, (_, i) => `c${509 + i}`));
    const spent = runAllTasks();
    expect(spent.length).toBeGreaterThan(100);
    for (const ms of spent) expect(ms).toBeLessThanOrEqual(BUDGET_MS);

    const items = [...document.querySelectorAll('.comment-item')];
    items.forEach((item, i) => {
      const marks = marksIn(item);
      expect(marks).toHaveLength(1);
      const [mark] = marks;
      expect(mark!.parentElement!.classList.contains('chead')).toBe(true);
      expect(mark!.dataset.commentId).toBe(`c${i}`);
      expect(mark!.dataset.state).toBe(viewOf(i).state);
      expect(mark!.querySelector('[data-partner-sync=make-private]') !== null).toBe(viewOf(i).state === 'queued');
      expect(mark!.querySelector('[data-partner-sync=retry-comment]') !== null).toBe(viewOf(i).state === 'failed');
    });
  });

  it('stops a pass once a newer one starts: a redrawn list is marked, the list it replaced no more', async () => {
    await start();
    nextTask();
    nextTask();
    const replaced = document.querySelector('.ob-block-comments')!;
    const markedBefore = markedIds(replaced);
    drawList();
    // The page's observer sees the new list (a microtask) and starts a new pass on it.
    await Promise.resolve();
    await Promise.resolve();
    vi.advanceTimersToNextFrame();
    expect(markedIds()).toEqual(IN_VIEW);
    runAllTasks();
    expect(markedIds(replaced)).toEqual(markedBefore);
    expect(markedIds()).toHaveLength(COMMENTS);
  });

  it('takes every mark away when its signal aborts, and marks nothing after', async () => {
    await start();
    nextTask();
    nextTask();
    controller.abort();
    expect(markedIds()).toEqual([]);
    runAllTasks();
    expect(markedIds()).toEqual([]);
    listeners.forEach((listener) => listener({ comments: views } as unknown as OrderPageState));
    runAllTasks();
    expect(markedIds()).toEqual([]);
  });
});
