// The modern order page (onebox-api.md, "modern order page"): its comment block, the list and the
// `postcomment[]` composer, comes over AJAX after the first HTML and is drawn anew, as new nodes,
// after every post and whenever the box redraws it. The built extension in Chromium against two
// sandbox boxes, on the sandbox's `?blocks=late&composer=button` page.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { newOrderInBoxA } from '../support/boxes';
import { barrier } from '../support/barrier';
import { linkedOrder, openOrder, useSyncWorld } from './setup';

const world = useSyncWorld(3);

const LATE = '?blocks=late&composer=button';
const toggle = (page: Page) => page.locator('[data-partner-sync=share-toggle]');
/** The pictogram where it belongs: right after the box's textarea, showing `shared`. */
const toggleBesideTextarea = (page: Page, shared: boolean) =>
  page.locator(`textarea[name="postcomment[]"] + [data-partner-sync=share-toggle][aria-pressed="${shared}"]`);
const lastMark = (page: Page) => page.locator('[data-partner-sync=comment-status]').last();
const bodiesIn = (orderId: string) => world.comments('B', orderId).map((c) => c.content.replace(/^.*?: /s, ''));

/** The box redraws its comment block now, as when a colleague's comment comes in; resolves once drawn. */
const redraw = (page: Page) => page.evaluate(() => (window as unknown as { obReloadComments(): Promise<void> }).obReloadComments());

/** Writes in the box's composer, then the box redraws the block before the post: the text is in a new textarea. */
async function writeThenRedraw(page: Page, text: string): Promise<void> {
  const textarea = page.locator('#js-postcomment');
  await textarea.fill(text);
  const written = await textarea.elementHandle();
  await redraw(page);
  expect(await written!.evaluate((element) => element.isConnected)).toBe(false);
  expect(await textarea.inputValue()).toBe(text);
}

/** What the worker holds about pages that lack an element, any tab. */
async function pageProblemsOnRecord(): Promise<unknown[]> {
  const worker = await world.browser.worker();
  const stored = await worker.evaluate(() => chrome.storage.session.get(null));
  return Object.entries(stored).filter(([key]) => key.startsWith('page-problems|')).map(([, value]) => value);
}

describe('the late-loading order page', () => {
  it('sends the order once, and the pictogram comes with the late composer', async () => {
    const orderId = await newOrderInBoxA(world, 'Late page: send');
    // The header is in the first HTML: the send control is there before the comment block.
    const page = await openOrder(world, orderId, LATE);
    await page.locator('[data-partner-sync=send]').click();
    await page.locator('[data-partner-sync=confirm-send]').click();
    const link = page.locator('[data-partner-sync=link][data-state=linked]');
    await link.waitFor({ timeout: 15_000 });
    expect(world.boxB.state.orders.filter((o) => o.externalid.endsWith(`:${orderId}`))).toHaveLength(1);
    await toggleBesideTextarea(page, true).waitFor({ timeout: 10_000 });
    expect(await toggle(page).count()).toBe(1);
    await page.close();
  });

  it('a shared comment, the block redrawn between writing and posting: the pictogram follows, the copy arrives once, each comment of every new list has one mark', async () => {
    const { page, localId, remoteId } = await linkedOrder(world, 'Late page: shared', LATE);
    await toggleBesideTextarea(page, true).waitFor({ timeout: 10_000 });
    await writeThenRedraw(page, 'Late page: for the partner');
    await toggleBesideTextarea(page, true).waitFor();
    expect(await toggle(page).count()).toBe(1);
    await page.locator('.js-comment-submit').click();
    // The post redraws the block again: the mark is on the new list.
    await expect.poll(() => lastMark(page).getAttribute('data-state'), { timeout: 15_000 }).toBe('sent');
    await barrier(world, { localId, remoteId });
    expect(bodiesIn(remoteId)).toEqual(['Late page: for the partner']);
    expect(world.comments('A', localId)).toHaveLength(1);

    // A list drawn anew with the barrier's comments too: marks on all of them, none twice.
    await redraw(page);
    const items = page.locator('.ob-block-comments .comment-item.js-item-comment');
    expect(await items.count()).toBe(3);
    await expect.poll(() => page.locator('.ob-block-comments .chead > [data-partner-sync=comment-status]').count(), { timeout: 10_000 }).toBe(3);
    expect(await page.locator('[data-partner-sync=comment-status]').count()).toBe(3);
    expect(await toggle(page).count()).toBe(1);
    // Long settled (the hold window alone is as long as the settle time), it lacked nothing.
    expect(await pageProblemsOnRecord()).toEqual([]);
    expect(await page.locator('[data-partner-sync-host=composer]').count()).toBe(0);
    await page.close();
  });

  it('a private comment, the block redrawn between switching, writing and posting by Enter, never leaves', async () => {
    const { page, localId, remoteId } = await linkedOrder(world, 'Late page: private', LATE);
    await toggleBesideTextarea(page, true).waitFor({ timeout: 10_000 });
    await toggle(page).click();
    await writeThenRedraw(page, 'Late page: internal only');
    await toggleBesideTextarea(page, false).waitFor();
    await page.locator('#js-postcomment').press('Enter');
    await expect.poll(() => world.comments('A', localId).map((c) => c.content)).toEqual(['Late page: internal only']);
    await expect.poll(() => lastMark(page).getAttribute('data-state'), { timeout: 15_000 }).toBe('private');
    // The pictogram starts over for the next comment, beside the new textarea.
    await toggleBesideTextarea(page, true).waitFor();
    await barrier(world, { localId, remoteId });
    expect(world.comments('B', remoteId)).toHaveLength(0);
    await page.close();
  });

  it('a block slower than the settle time: reported missing with the extension’s own composer offered, then taken back when it comes', async () => {
    world.boxA.quirks.blockDelayMs = 10_000;
    const { page, localId } = await linkedOrder(world, 'Late page: slow block', LATE);
    const popup = await world.browser.context.newPage();
    await popup.goto(`chrome-extension://${world.browser.extensionId}/src/popup/index.html`);
    const problem = popup.locator(`[data-partner-sync=popup-page-problem][data-order-id="${localId}"]`);
    const anchors = () => problem.locator('[data-anchor]').evaluateAll((items) => items.map((item) => item.getAttribute('data-anchor')));
    await expect.poll(anchors, { timeout: 10_000 }).toEqual(['commentList', 'composer']);
    await page.locator('[data-partner-sync-host=composer]').waitFor();
    // The block comes after all: the box's composer takes the pictogram, and nothing is missing.
    await toggleBesideTextarea(page, true).waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-partner-sync-host=composer]').count()).toBe(0);
    await expect.poll(() => problem.count(), { timeout: 10_000 }).toBe(0);
    expect(await pageProblemsOnRecord()).toEqual([]);
    await Promise.all([page.close(), popup.close()]);
  });
});
