// Private stays private whatever way the page posts, and across an extension update with the
// page open (design.md, guarantee 4): the built extension in Chromium against two sandbox
// boxes, with the box's formless composer (a button with its own click handler, plain Enter).
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiCall, tokenFor } from '../support/boxes';
import { barrier } from '../support/barrier';
import { linkedOrder as linkOrder, useSyncWorld, workerStore } from './setup';

const world = useSyncWorld(3);

const bodiesIn = (orderId: string) => world.comments('B', orderId).map((c) => c.content.replace(/^.*?: /s, ''));


/** A linked order, its page reopened with the box's formless composer. */
async function linkedWithButtonComposer(name: string) {
  const linked = await linkOrder(world, name);
  world.boxA.quirks.composer = 'button';
  await linked.page.reload();
  expect(await linked.page.locator('.ob-comment-add form').count()).toBe(0);
  await linked.page.locator('[data-partner-sync=share-toggle]').waitFor();
  return linked;
}

const toggle = (page: Page) => page.locator('[data-partner-sync=share-toggle]');
const lastMark = (page: Page) => page.locator('[data-partner-sync=comment-status]').last();

async function switchTo(page: Page, share: boolean): Promise<void> {
  if ((await toggle(page).getAttribute('aria-pressed')) !== String(share)) await toggle(page).click();
  expect(await toggle(page).getAttribute('aria-pressed')).toBe(String(share));
}

describe('the composer has no form', () => {
  it('a button with its own click handler: the private comment stays, the shared one arrives', async () => {
    const { page, localId, remoteId } = await linkedWithButtonComposer('Button composer');
    await switchTo(page, false);
    await page.locator('#js-postcomment').fill('Button: internal only');
    await page.locator('.js-comment-submit').click();
    await expect.poll(() => lastMark(page).getAttribute('data-state'), { timeout: 15_000 }).toBe('private');
    // The pictogram starts over for the next comment.
    expect(await toggle(page).getAttribute('aria-pressed')).toBe('true');
    await page.locator('#js-postcomment').fill('Button: for the partner');
    await page.locator('.js-comment-submit').click();
    await expect.poll(() => bodiesIn(remoteId), { timeout: 20_000 }).toEqual(['Button: for the partner']);
    await barrier(world, { localId, remoteId });
    expect(bodiesIn(remoteId)).toEqual(['Button: for the partner']);
    expect(world.comments('A', localId)).toHaveLength(2);
    await page.close();
  });

  it('plain Enter posts: the private comment stays; Shift+Enter is a newline', async () => {
    const { page, localId, remoteId } = await linkedWithButtonComposer('Enter composer');
    await switchTo(page, false);
    const text = page.locator('#js-postcomment');
    await text.fill('Enter: first line');
    await text.press('Shift+Enter');
    await text.pressSequentially('second line');
    expect(world.comments('A', localId)).toHaveLength(0);
    await text.press('Enter');
    await expect.poll(() => world.comments('A', localId).map((c) => c.content)).toEqual(['Enter: first line\nsecond line']);
    await expect.poll(() => lastMark(page).getAttribute('data-state'), { timeout: 15_000 }).toBe('private');
    await text.fill('Enter: shared');
    await text.press('Enter');
    await expect.poll(() => bodiesIn(remoteId), { timeout: 20_000 }).toEqual(['Enter: shared']);
    await barrier(world, { localId, remoteId });
    expect(bodiesIn(remoteId)).toEqual(['Enter: shared']);
    await page.close();
  });
});

describe('choices bound to the comment', () => {
  it('two identical texts by two authors: the colleague’s is shared, the author’s private one is not', async () => {
    const { page, localId, remoteId } = await linkOrder(world, 'Identical texts');
    await switchTo(page, false);
    // A colleague writes the same words first (from elsewhere), then the author posts on the page.
    const ivan = await tokenFor(world.boxA.url, 'ivan', 'ivan-secret');
    await apiCall(world.boxA.url, 'comment/set', [{ orderid: Number(localId), content: 'ok', clientvisible: 1 }], ivan);
    await page.locator('#js-postcomment').fill('ok');
    await page.locator('.js-comment-submit').click();
    await expect.poll(() => world.comments('B', remoteId).map((c) => c.content), { timeout: 20_000 })
      .toEqual([expect.stringMatching(/^Ivan Petrenko \(.*\): ok$/)]);
    await barrier(world, { localId, remoteId });
    expect(world.comments('B', remoteId).map((c) => c.content)).toEqual([expect.stringMatching(/^Ivan Petrenko \(.*\): ok$/)]);
    const olenasOk = world.comments('A', localId).find((c) => c.userid === '1')!;
    expect(await page.locator(`[data-partner-sync=comment-status][data-comment-id="${olenasOk.id}"]`).getAttribute('data-state')).toBe('private');
    await page.close();
  });
});

describe('an extension update with the page open', () => {
  it('the new script replaces the old controls, keeps the pictogram’s state, and the private comment stays', async () => {
    const { page, localId, remoteId } = await linkOrder(world, 'Reload with page open');
    await switchTo(page, false);
    // The choice has reached the worker before it goes away.
    await expect.poll(async () => (await workerStore<{ kind: string; localOrderId?: string; share?: boolean }>(world, 'choices'))
      .some((choice) => choice.kind === 'composer' && choice.localOrderId === localId && choice.share === false)).toBe(true);
    await world.browser.reloadExtension();
    // The worker attaches the new script to the open page; the old one's controls go.
    await expect.poll(() => page.locator('[data-partner-sync=share-toggle]').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator('[data-partner-sync=page-problem]').count()).toBe(0);
    expect(await toggle(page).getAttribute('aria-pressed')).toBe('false');
    await page.locator('#js-postcomment').fill('After the update: internal');
    await page.locator('.js-comment-submit').click();
    await expect.poll(() => world.comments('A', localId).length).toBe(1);
    await expect.poll(() => lastMark(page).getAttribute('data-state'), { timeout: 20_000 }).toBe('private');
    await barrier(world, { localId, remoteId });
    expect(world.comments('B', remoteId)).toHaveLength(0);
    await page.close();
  });
});
