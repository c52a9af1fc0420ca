// Comments through a failing partner box: 500s, an expiring token, a dropped answer, garbage.
// The built extension in Chromium against two sandbox boxes; each test links a fresh order so
// tests do not see each other's comments.
import { describe, expect, it } from 'vitest';
import { writeThroughApi } from '../support/boxes';
import { barrier } from '../support/barrier';
import { linkedOrder, useSyncWorld } from './setup';

const world = useSyncWorld(3);

describe('faults', () => {
  it('the partner box answering 500 for a while: all delivered once, in order, after it is back', async () => {
    const { page, localId, remoteId } = await linkedOrder(world, 'Box down');
    world.boxB.faults.failNext(1_000);
    for (let i = 1; i <= 5; i++) await writeThroughApi(world, 'A', localId, `while down ${i}`);
    // The order page says the partner box is failing, in words, and that it will try again.
    const problem = page.locator('[data-partner-sync=link][data-state=linked] [role=alert]');
    await expect.poll(() => problem.textContent(), { timeout: 15_000 }).toMatch(/server error.*try again/);
    expect(world.comments('B', remoteId)).toHaveLength(0);
    world.boxB.faults.reset();
    await expect.poll(() => world.comments('B', remoteId).length, { timeout: 40_000 }).toBe(5);
    expect(world.comments('B', remoteId).map((c) => c.content.replace(/^.*?: /, ''))).toEqual([1, 2, 3, 4, 5].map((i) => `while down ${i}`));
    await page.close();
  });

  it('a token that expires mid-sync, and commit-then-drop on a comment, still give one copy each', async () => {
    const { page, localId, remoteId } = await linkedOrder(world, 'Token and drop');
    world.boxB.quirks.tokenLifetimeCalls = 2;
    await writeThroughApi(world, 'A', localId, 'first, across a token expiry');
    await expect.poll(() => world.comments('B', remoteId).length, { timeout: 20_000 }).toBe(1);
    world.boxB.faults.commitThenDropNextWrite();
    await writeThroughApi(world, 'A', localId, 'second, answer dropped');
    await expect.poll(() => world.comments('B', remoteId).length, { timeout: 30_000 }).toBe(2);
    await barrier(world, { localId, remoteId });
    expect(world.comments('B', remoteId).map((c) => c.content.replace(/^.*?: /, ''))).toEqual(['first, across a token expiry', 'second, answer dropped']);
    expect(world.boxB.log.some((call) => call.fault === 'drop')).toBe(true);
    await page.close();
  });

  it('a partner box answering garbage: each item recovers, arrives once, and the worker keeps going', async () => {
    const { page, localId, remoteId } = await linkedOrder(world, 'Garbage answers');
    const kinds = ['html', 'empty', 'not-json', 'wrong-types'] as const;
    for (const [i, kind] of kinds.entries()) {
      world.boxB.faults.garbageNext(kind);
      await writeThroughApi(world, 'A', localId, `after ${kind}`);
      await expect.poll(() => world.comments('B', remoteId).length, { timeout: 30_000 }).toBe(i + 1);
    }
    await barrier(world, { localId, remoteId });
    expect(world.comments('B', remoteId).map((c) => c.content.replace(/^.*?: /, ''))).toEqual(kinds.map((k) => `after ${k}`));
    expect(world.boxB.log.filter((call) => call.fault === 'garbage')).toHaveLength(kinds.length);
    await page.close();
  });

});
