// Comments across a browser restart and a worker stopped mid-queue: the queue survives, nothing doubles.
// The built extension in Chromium against two sandbox boxes; each test links a fresh order so
// tests do not see each other's comments.
import { describe, expect, it } from 'vitest';
import { writeThroughApi } from '../support/boxes';
import { barrier } from '../support/barrier';
import { linkedOrder, openOrder, useSyncWorld } from './setup';

const world = useSyncWorld(3);

describe('stops and restarts', () => {
  it('a browser restart while the partner box is down: the queue survives and drains once, in order', async () => {
    const { page, localId, remoteId } = await linkedOrder(world, 'Browser restart');
    world.boxB.faults.failNext(1_000);
    for (let i = 1; i <= 3; i++) await writeThroughApi(world, 'A', localId, `before restart ${i}`);
    // Wait until the worker has picked them up (they are queued, the box refuses them).
    await expect.poll(async () => {
      await page.reload();
      return page.locator('[data-partner-sync=comment-status][data-state=queued]').count();
    }, { timeout: 15_000, interval: 1_000 }).toBe(3);
    world.browser = await world.browser.restart();
    world.boxB.faults.reset();
    const reopened = await openOrder(world, localId);
    await expect.poll(() => world.comments('B', remoteId).length, { timeout: 40_000 }).toBe(3);
    await barrier(world, { localId, remoteId });
    expect(world.comments('B', remoteId).map((c) => c.content.replace(/^.*?: /, ''))).toEqual([1, 2, 3].map((i) => `before restart ${i}`));
    await reopened.close();
  });

  it('the worker stopped mid-queue: everything is delivered once when it comes back', async () => {
    const { page, localId, remoteId } = await linkedOrder(world, 'Worker stopped');
    world.boxB.quirks.latencyMs = 400;
    for (let i = 1; i <= 6; i++) await writeThroughApi(world, 'A', localId, `queued ${i}`);
    await expect.poll(() => world.comments('B', remoteId).length, { timeout: 20_000 }).toBeGreaterThan(0);
    await world.browser.stopWorker();
    world.boxB.quirks.latencyMs = 0;
    await page.reload();
    // A write cut short by the stop may still land: it is waited for (the request timeout and a
    // margin) before the box is searched for it, so the queue resumes after about 25 s.
    await expect.poll(() => world.comments('B', remoteId).length, { timeout: 60_000 }).toBe(6);
    await barrier(world, { localId, remoteId });
    expect(world.comments('B', remoteId).map((c) => c.content.replace(/^.*?: /, ''))).toEqual([1, 2, 3, 4, 5, 6].map((i) => `queued ${i}`));
    await page.close();
  });
});
