// Two-way comment sync, end to end, with faults: the built extension in Chromium against two
// sandbox boxes. Each test links a fresh order so tests do not see each other's comments.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeComment } from '../support/order-page';
import { barrier, linkedOrder as linkOrder, openOrder, startWorld, writeSettings, type World } from './setup';
import { apiCall, demoSettings, tokenFor } from '../support/boxes';

let world: World;
const HOLD_SECONDS = 3;

beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});
beforeEach(async () => {
  for (const box of [world.boxA, world.boxB]) {
    box.faults.reset();
    box.quirks.latencyMs = 0;
    box.quirks.tokenLifetimeCalls = null;
  }
  const settings = demoSettings(world);
  settings.preferences.holdSeconds = HOLD_SECONDS;
  await writeSettings(world, settings);
});

const linkedOrder = (name: string) => linkOrder(world, name);

const asIvanInB = async (orderId: string, content: string, clientvisible = 1) =>
  apiCall(world.boxB.url, 'comment/set', [{ orderid: Number(orderId), content, clientvisible }], await tokenFor(world.boxB.url, 'ivan', 'ivan-secret'));
const asOlenaInA = async (orderId: string, content: string, clientvisible = 1) =>
  apiCall(world.boxA.url, 'comment/set', [{ orderid: Number(orderId), content, clientvisible }], await tokenFor(world.boxA.url, 'olena', 'olena-secret'));


describe('outbound comments', () => {
  it('a shared comment arrives exactly once, attributed, and its mark goes from queued to sent', async () => {
    const { page, localId, remoteId } = await linkedOrder('Shared comment');
    await writeComment(page, 'Доброго дня! Shipping on Monday 🚚', true);
    const mark = page.locator('[data-partner-sync=comment-status]').last();
    await expect.poll(() => mark.getAttribute('data-state'), { timeout: 15_000 }).toBe('sent');
    await barrier(world, { localId, remoteId });
    const arrived = world.comments('B', remoteId);
    expect(arrived).toHaveLength(1);
    expect(arrived[0]!.content).toBe(`Olena Kovalenko, ${new URL(world.boxA.url).host}: Доброго дня! Shipping on Monday 🚚`);
    expect(world.comments('A', localId)).toHaveLength(1);
    await page.close();
  });

  it('a private comment never leaves, and its mark says private', async () => {
    const { page, localId, remoteId } = await linkedOrder('Private comment');
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
    const { page, localId, remoteId } = await linkedOrder('Switched during hold');
    await writeComment(page, 'Oops, this one is internal', true);
    const keepPrivate = page.locator('[data-partner-sync=make-private]');
    await keepPrivate.click({ timeout: 5_000 });
    await expect.poll(() => page.locator('[data-partner-sync=comment-status]').last().getAttribute('data-state')).toBe('private');
    await barrier(world, { localId, remoteId });
    expect(world.comments('B', remoteId)).toHaveLength(0);
    await page.close();
  });

  it('a private comment never leaves when the page’s request beats the pictogram message', async () => {
    const { page, localId, remoteId } = await linkedOrder('Race');
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
    const { page, localId, remoteId } = await linkedOrder('Client-visible filter');
    await asOlenaInA(localId, 'From the mobile app, internal', 0);
    await asOlenaInA(localId, 'From the mobile app, for the client', 1);
    await expect.poll(() => world.comments('B', remoteId).map((c) => c.content), { timeout: 20_000 })
      .toEqual([expect.stringContaining('for the client')]);
    await barrier(world, { localId, remoteId });
    expect(world.comments('B', remoteId)).toHaveLength(1);
    await page.close();
  });

  it('a burst of 20 keeps its order, and a 10 KB comment arrives intact', async () => {
    const { page, localId, remoteId } = await linkedOrder('Burst');
    const long = 'Ж'.repeat(5_000) + '😀'.repeat(1_250);
    for (let i = 1; i <= 20; i++) await asOlenaInA(localId, `burst ${i}`);
    await asOlenaInA(localId, long);
    await expect.poll(() => world.comments('B', remoteId).length, { timeout: 40_000 }).toBe(21);
    const contents = world.comments('B', remoteId).map((c) => c.content.replace(/^.*?: /s, ''));
    expect(contents.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => `burst ${i + 1}`));
    expect(contents[20]).toBe(long);
    await page.close();
  });
});

describe('inbound comments', () => {
  it('arrive once as plain text, attributed, and are never echoed back', async () => {
    const { page, localId, remoteId } = await linkedOrder('Inbound');
    const xss = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> Привіт 👋';
    await asIvanInB(remoteId, xss);
    await expect.poll(() => world.comments('A', localId).length, { timeout: 20_000 }).toBe(1);
    expect(world.comments('A', localId)[0]!.content).toBe(`Ivan Petrenko, Buyer B: ${xss}`);
    await page.reload();
    await expect.poll(() => page.locator('[data-partner-sync=comment-status][data-state=received]').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('.ob-block-comments img').count()).toBe(0);
    await barrier(world, { localId, remoteId });
    expect(world.comments('A', localId)).toHaveLength(1);
    expect(world.comments('B', remoteId)).toHaveLength(1);
    await page.close();
  });

  it('two open tabs of the same order still give one copy each way', async () => {
    const { page, localId, remoteId } = await linkedOrder('Two tabs');
    const second = await openOrder(world, localId);
    await asIvanInB(remoteId, 'Seen in two tabs');
    await writeComment(page, 'Written with two tabs open', true);
    await expect.poll(() => world.comments('B', remoteId).length, { timeout: 20_000 }).toBe(2);
    await barrier(world, { localId, remoteId });
    expect(world.comments('A', localId)).toHaveLength(2);
    expect(world.comments('B', remoteId)).toHaveLength(2);
    await Promise.all([page.close(), second.close()]);
  });
});

describe('faults', () => {
  it('the partner box answering 500 for a while: all delivered once, in order, after it is back', async () => {
    const { page, localId, remoteId } = await linkedOrder('Box down');
    world.boxB.faults.failNext(1_000);
    for (let i = 1; i <= 5; i++) await asOlenaInA(localId, `while down ${i}`);
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
    const { page, localId, remoteId } = await linkedOrder('Token and drop');
    world.boxB.quirks.tokenLifetimeCalls = 2;
    await asOlenaInA(localId, 'first, across a token expiry');
    await expect.poll(() => world.comments('B', remoteId).length, { timeout: 20_000 }).toBe(1);
    world.boxB.faults.commitThenDropNextWrite();
    await asOlenaInA(localId, 'second, answer dropped');
    await expect.poll(() => world.comments('B', remoteId).length, { timeout: 30_000 }).toBe(2);
    await barrier(world, { localId, remoteId });
    expect(world.comments('B', remoteId).map((c) => c.content.replace(/^.*?: /, ''))).toEqual(['first, across a token expiry', 'second, answer dropped']);
    expect(world.boxB.log.some((call) => call.fault === 'drop')).toBe(true);
    await page.close();
  });

  it('a partner box answering garbage: each item recovers, arrives once, and the worker keeps going', async () => {
    const { page, localId, remoteId } = await linkedOrder('Garbage answers');
    const kinds = ['html', 'empty', 'not-json', 'wrong-types'] as const;
    for (const [i, kind] of kinds.entries()) {
      world.boxB.faults.garbageNext(kind);
      await asOlenaInA(localId, `after ${kind}`);
      await expect.poll(() => world.comments('B', remoteId).length, { timeout: 30_000 }).toBe(i + 1);
    }
    await barrier(world, { localId, remoteId });
    expect(world.comments('B', remoteId).map((c) => c.content.replace(/^.*?: /, ''))).toEqual(kinds.map((k) => `after ${k}`));
    expect(world.boxB.log.filter((call) => call.fault === 'garbage')).toHaveLength(kinds.length);
    await page.close();
  });

  it('a browser restart while the partner box is down: the queue survives and drains once, in order', async () => {
    const { page, localId, remoteId } = await linkedOrder('Browser restart');
    world.boxB.faults.failNext(1_000);
    for (let i = 1; i <= 3; i++) await asOlenaInA(localId, `before restart ${i}`);
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
    const { page, localId, remoteId } = await linkedOrder('Worker stopped');
    world.boxB.quirks.latencyMs = 400;
    for (let i = 1; i <= 6; i++) await asOlenaInA(localId, `queued ${i}`);
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

describe('a page of unknown markup', () => {
  it('gets a docked panel and the extension’s own composer, which keeps the pictogram’s promise', async () => {
    const { page, localId, remoteId } = await linkedOrder('Unfamiliar page');
    await page.goto(`${world.boxA.url}/${localId}/?layout=unfamiliar`);
    const panel = page.locator('[data-partner-sync-host=send][data-partner-sync-docked=true]');
    await panel.waitFor({ timeout: 10_000 });
    expect(await panel.locator('[data-partner-sync=link][data-state=linked]').count()).toBe(1);
    const text = page.locator('[data-partner-sync=composer-text]');
    await text.fill('Through the extension’s composer');
    await page.locator('[data-partner-sync=composer-post]').click();
    await text.fill('Private, through the extension’s composer');
    const toggle = page.locator('[data-partner-sync-host=composer] [data-partner-sync=share-toggle]');
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await page.locator('[data-partner-sync=composer-post]').click();
    await expect.poll(() => world.comments('A', localId).length, { timeout: 10_000 }).toBe(2);
    await expect.poll(() => world.comments('B', remoteId).length, { timeout: 20_000 }).toBe(1);
    await barrier(world, { localId, remoteId });
    expect(world.comments('B', remoteId).map((c) => c.content)).toEqual([expect.stringContaining(': Through the extension’s composer')]);
    // Visible to the partner is not visible to the own client: the cabinet box was left unticked.
    expect(world.comments('A', localId).map((c) => c.clientvisible)).toEqual(['0', '0']);
    await page.locator('[data-partner-sync=composer-client-visible]').check();
    await text.fill('For our client too');
    await page.locator('[data-partner-sync=composer-post]').click();
    await expect.poll(() => world.comments('A', localId).map((c) => c.clientvisible), { timeout: 10_000 }).toEqual(['0', '0', '1']);
    await page.close();
  });
});
