// @vitest-environment happy-dom
// The one way features find what they attach to (src/content/anchors.ts): found when the page
// draws it, found again when the page draws it anew, and reported to the worker when it stays
// missing after the page has settled, then taken back when it comes.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const request = vi.fn(async (..._args: unknown[]) => null);
vi.mock('../../src/messages/send', () => ({ request: (...args: unknown[]) => request(...args) }));

type Watch = typeof import('../../src/content/anchors').watch;
let watch: Watch;
let controller: AbortController;
const seen: (string | null)[] = [];
const record = (element: Element | null) => void seen.push(element === null ? null : element.getAttribute('data-n'));

/** Lets the observers run, then the clock move on. */
const after = (ms: number) => vi.advanceTimersByTimeAsync(ms);
const list = (n: number) => `<div class="ob-block-comments" data-n="${n}"></div>`;

beforeEach(async () => {
  vi.useFakeTimers();
  vi.resetModules();
  document.body.innerHTML = '';
  request.mockClear();
  seen.length = 0;
  controller = new AbortController();
  ({ watch } = await import('../../src/content/anchors'));
});
afterEach(() => {
  controller.abort();
  vi.useRealTimers();
});

describe('watch', () => {
  it('finds an anchor that is there, again each time the page draws it anew, and reports nothing', async () => {
    document.body.innerHTML = list(1);
    watch(controller.signal, 'commentList', record);
    expect(seen).toEqual(['1']);
    document.body.innerHTML = `<main>${list(2)}</main>`;
    await after(0);
    // Changes that leave the same element in place are not news.
    document.body.append(document.createElement('p'));
    await after(10_000);
    expect(seen).toEqual(['1', '2']);
    expect(request).not.toHaveBeenCalled();
  });

  it('finds an anchor that comes late, before the page has settled, without reporting it', async () => {
    watch(controller.signal, 'composer', record);
    await after(2_000);
    document.body.innerHTML = '<div class="ob-comment-add"><textarea name="postcomment[]" data-n="7"></textarea></div>';
    await after(10_000);
    expect(seen).toEqual(['7']);
    expect(request).not.toHaveBeenCalled();
  });

  it('reports an anchor missing once the page has settled, and takes it back when it comes', async () => {
    watch(controller.signal, 'commentList', record);
    watch(controller.signal, 'orderHeader', record);
    document.body.innerHTML = '<h1 data-n="h"></h1>';
    await after(2_999);
    expect(request).not.toHaveBeenCalled();
    await after(1);
    expect(seen).toEqual(['h', null]);
    expect(request.mock.calls).toEqual([['page/problems', { missing: ['commentList'] }]]);
    document.body.insertAdjacentHTML('beforeend', list(3));
    await after(0);
    expect(seen).toEqual(['h', null, '3']);
    expect(request.mock.calls.at(-1)).toEqual(['page/problems', { missing: [] }]);
  });

  it('gives an anchor that went away the settle time to come back before reporting it', async () => {
    document.body.innerHTML = list(1);
    watch(controller.signal, 'commentList', record);
    document.body.innerHTML = '<p>Loading…</p>';
    await after(2_000);
    document.body.innerHTML = list(2);
    await after(10_000);
    expect(seen).toEqual(['1', '2']);
    document.body.innerHTML = '';
    await after(3_000);
    expect(seen).toEqual(['1', '2', null]);
    expect(request.mock.calls).toEqual([['page/problems', { missing: ['commentList'] }]]);
  });

  it('stops with its signal: no more calls, no report', async () => {
    watch(controller.signal, 'commentList', record);
    controller.abort();
    await after(10_000);
    document.body.innerHTML = list(1);
    await after(0);
    expect(seen).toEqual([]);
    expect(request).not.toHaveBeenCalled();
  });
});
