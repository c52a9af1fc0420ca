// Inbound comments, two open tabs, and a page whose markup the extension does not know.
// The built extension in Chromium against two sandbox boxes; each test links a fresh order so
// tests do not see each other's comments.
import { describe, expect, it } from 'vitest';
import { writeComment } from '../support/order-page';
import { writeThroughApi } from '../support/boxes';
import { barrier } from '../support/barrier';
import { linkedOrder, openOrder, useSyncWorld } from './setup';

const world = useSyncWorld(3);

describe('inbound comments', () => {
  it('arrive once as plain text, attributed, mentions and files made plain, and are never echoed back', async () => {
    const { page, localId, remoteId } = await linkedOrder(world, 'Inbound');
    const xss = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> Привіт 👋';
    await writeThroughApi(world, 'B', remoteId, `${xss} [Олена Коваленко#1] [file]7[/file]`);
    await expect.poll(() => world.comments('A', localId).length, { timeout: 20_000 }).toBe(1);
    expect(world.comments('A', localId)[0]!.content).toBe(`Ivan Petrenko (Buyer B): ${xss} @Олена Коваленко [file in Buyer B's box]`);
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
    const { page, localId, remoteId } = await linkedOrder(world, 'Two tabs');
    const second = await openOrder(world, localId);
    await writeThroughApi(world, 'B', remoteId, 'Seen in two tabs');
    await writeComment(page, 'Written with two tabs open', true);
    await expect.poll(() => world.comments('B', remoteId).length, { timeout: 20_000 }).toBe(2);
    await barrier(world, { localId, remoteId });
    expect(world.comments('A', localId)).toHaveLength(2);
    expect(world.comments('B', remoteId)).toHaveLength(2);
    await Promise.all([page.close(), second.close()]);
  });
});

describe('a page of unknown markup', () => {
  it('gets a docked panel and the extension’s own composer, which keeps the pictogram’s promise', async () => {
    const { page, localId, remoteId } = await linkedOrder(world, 'Unfamiliar page');
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
