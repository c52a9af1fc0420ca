// @vitest-environment happy-dom
// Which comments the pictogram's choice is bound to (src/content/features/share-toggle.ts): only
// those of the page's user that appear after the page was set up. The ids already shown are read
// a task after the setup, so a list redrawn before then must be told apart from what it changed.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OrderPageState } from '../../src/messages/protocol';
import type { PageState } from '../../src/content/page-state';

vi.mock('../../src/messages/send', () => ({ request: vi.fn(async () => null) }));

const OLENA = '7';
let controller: AbortController;
let appeared: string[][];

const item = (id: string, author = OLENA) =>
  `<div class="comment-item js-item-comment my-comment"><div class="chead"><a class="name" data-id="${author}">Olena</a></div><div class="cbody" id="js-text-${id}">Comment ${id}</div></div>`;
const drawList = (ids: string[]) => {
  document.querySelector('.ob-block-comments')?.remove();
  document.body.insertAdjacentHTML('afterbegin', `<div class="ob-block-comments">${ids.map((id) => item(id)).join('')}</div>`);
};
/** The page's observers run as microtasks after each change. */
const settle = async () => {
  for (let i = 0; i < 3; i++) await Promise.resolve();
};

async function start(): Promise<void> {
  const toggle = await import('../../src/content/features/share-toggle');
  const state = { links: [{ partnerId: 'b', state: 'linked' }], partners: [{ id: 'b', name: 'Buyer B' }], shareByDefault: true, comments: {} } as unknown as OrderPageState;
  const page: PageState = { get: () => state, set: () => undefined, subscribe: () => undefined, refresh: async () => undefined, reportFailure: () => undefined };
  const choices = toggle.createChoices(page, true);
  vi.spyOn(choices, 'appeared').mockImplementation((comments) => void appeared.push(comments.map((c) => c.commentId)));
  toggle.init(controller.signal, page, choices, () => undefined);
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  vi.resetModules();
  document.body.innerHTML = '<textarea id="js-postcomment" name="postcomment"></textarea>';
  controller = new AbortController();
  appeared = [];
});
afterEach(() => {
  controller.abort();
  vi.useRealTimers();
});

describe('the comments a pictogram choice is bound to', () => {
  it('a list redrawn before the first look: only the comment it added is new', async () => {
    drawList(['11', '12']);
    await start();
    drawList(['11', '12', '13']);
    await settle();
    expect(appeared).toEqual([['13']]);
  });

  it('a comment added to the list before the first look is new, those it had are not', async () => {
    drawList(['11', '12']);
    await start();
    document.querySelector('.ob-block-comments')!.insertAdjacentHTML('beforeend', item('13'));
    await settle();
    expect(appeared).toEqual([['13']]);
  });

  it('after the first look, a redraw with a new comment binds that one', async () => {
    drawList(['11', '12']);
    await start();
    vi.runAllTimers();
    drawList(['11', '12', '13']);
    await settle();
    expect(appeared).toEqual([['13']]);
  });

  it('a list that comes late, after the setup, was there before the page: nothing of it is new', async () => {
    await start();
    drawList(['11', '12']);
    await settle();
    vi.runAllTimers();
    drawList(['11', '12', '14']);
    await settle();
    expect(appeared).toEqual([['14']]);
  });
});
