// Outbound comments: shared ones arrive once and attributed, private ones never leave.
// The built extension in Chromium against two sandbox boxes; each test links a fresh order so
// tests do not see each other's comments.
import { describe, expect, it } from 'vitest';
import { writeComment } from '../support/order-page';
import { demoSettings, writeThroughApi } from '../support/boxes';
import { barrier } from '../support/barrier';
import { linkedOrder, useSyncWorld, writeSettings } from './setup';

const world = useSyncWorld(3);

describe('outbound comments', () => {
  it('a shared comment arrives exactly once, attributed, and its mark goes from queued to sent', async () => {
    const { page, localId, remoteId } = await linkedOrder(world, 'Shared comment');
    await writeComment(page, 'Доброго дня! Shipping on Monday 🚚', true);
    const mark = page.locator('[data-partner-sync=comment-status]').last();
    await expect.poll(() => mark.getAttribute('data-state'), { timeout: 15_000 }).toBe('sent');
    await barrier(world, { localId, remoteId });
    const arrived = world.comments('B', remoteId);
    expect(arrived).toHaveLength(1);
    expect(arrived[0]!.content).toBe(`Olena Kovalenko (${new URL(world.boxA.url).host}): Доброго дня! Shipping on Monday 🚚`);
    expect(world.comments('A', localId)).toHaveLength(1);
    await page.close();
  });

  it('a private comment never leaves, and its mark says private', async () => {
    const { page, localId, remoteId } = await linkedOrder(world, 'Private comment');
    await writeComment(page, 'Internal: our margin is 12%', false);
    const mark = page.locator('[data-partner-sync=comment-status]').last();
    await expect.poll(() => mark.getAttribute('data-state'), { timeout: 15_000 }).toBe('private');
    await barrier(world, { localId, remoteId });
    expect(world.comments('B', remoteId)).toHaveLength(0);
    await page.close();
  });

  it('a comment switched to private during the hold window never leaves', async () => {
    const settings = demoSettings(world);
    settings.preferences.holdSeconds = 6;
    await writeSettings(world, settings);
    const { page, localId, remoteId } = await linkedOrder(world, 'Switched during hold');
    await writeComment(page, 'Oops, this one is internal', true);
    const keepPrivate = page.locator('[data-partner-sync=make-private]');
    await keepPrivate.click({ timeout: 5_000 });
    await expect.poll(() => page.locator('[data-partner-sync=comment-status]').last().getAttribute('data-state')).toBe('private');
    await barrier(world, { localId, remoteId });
    expect(world.comments('B', remoteId)).toHaveLength(0);
    await page.close();
  });

  it('a private comment never leaves when the page’s request beats the pictogram message', async () => {
    const { page, localId, remoteId } = await linkedOrder(world, 'Race');
    // With the worker stopped, the pictogram message must first wake it, while the page's own
    // post goes straight to the box: the box has the comment before the worker hears the choice.
    const toggle = page.locator('[data-partner-sync=share-toggle]');
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await page.locator('#js-postcomment').fill('Race: do not share');
    await world.browser.stopWorker();
    await page.locator('#js-postcomment').press('Control+Enter');
    await barrier(world, { localId, remoteId });
    expect(world.comments('B', remoteId)).toHaveLength(0);
    await page.close();
  });

  it('comments written elsewhere follow the client-visible filter', async () => {
    const { page, localId, remoteId } = await linkedOrder(world, 'Client-visible filter');
    await writeThroughApi(world, 'A', localId, 'From the mobile app, internal', 0);
    await writeThroughApi(world, 'A', localId, 'From the mobile app, for the client', 1);
    await expect.poll(() => world.comments('B', remoteId).map((c) => c.content), { timeout: 20_000 })
      .toEqual([expect.stringContaining('for the client')]);
    await barrier(world, { localId, remoteId });
    expect(world.comments('B', remoteId)).toHaveLength(1);
    await page.close();
  });

  it('a burst of 20 keeps its order, and a 10 KB comment arrives intact', async () => {
    const { page, localId, remoteId } = await linkedOrder(world, 'Burst');
    const long = 'Ж'.repeat(5_000) + '😀'.repeat(1_250);
    for (let i = 1; i <= 20; i++) await writeThroughApi(world, 'A', localId, `burst ${i}`);
    await writeThroughApi(world, 'A', localId, long);
    await expect.poll(() => world.comments('B', remoteId).length, { timeout: 40_000 }).toBe(21);
    const contents = world.comments('B', remoteId).map((c) => c.content.replace(/^.*?: /s, ''));
    expect(contents.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => `burst ${i + 1}`));
    expect(contents[20]).toBe(long);
    await page.close();
  });
});
