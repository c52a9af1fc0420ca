// The toolbar popup, end to end: the built extension in Chromium against two sandbox boxes. One
// story: nothing linked, a link, a comment the partner box refuses (said in English, counted on
// the badge), the fix and "Retry", then "Sync now" fetching a partner comment at once. Also: the
// worker's own failures, and open order pages that lack what the extension attaches to.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { linkedOrder, openOrder, startWorld, workerStore, writeSettings, type World } from './setup';
import { demoSettings, writeThroughApi } from '../support/boxes';

let world: World;

beforeAll(async () => {
  world = await startWorld();
  const settings = demoSettings(world);
  settings.preferences = { ...settings.preferences, language: 'en', holdSeconds: 1 };
  await writeSettings(world, settings);
});
afterAll(async () => {
  await world?.close();
});

const badgeText = async () => (await world.browser.worker()).evaluate(() => chrome.action.getBadgeText({}));

/**
 * How long until the worker would read a link by itself, from its database: its own next poll,
 * else the next change detection look at a box that works.
 */
async function nextReadIn(linkId: string): Promise<number> {
  const links = await workerStore<{ id: string; nextPollAt?: number }>(world, 'links');
  const looks = (await workerStore<{ key: string; nextAt?: number; working?: boolean }>(world, 'meta'))
    .filter((record) => record.key.startsWith('changes ') && record.working)
    .map((record) => record.nextAt!);
  return Math.min(links.find((link) => link.id === linkId)!.nextPollAt ?? Infinity, ...looks) - Date.now();
}

it('lists links, says why an item failed, retries it after the fix, and syncs now', async () => {
  const popup = await world.browser.context.newPage();
  await popup.goto(`chrome-extension://${world.browser.extensionId}/src/popup/index.html`);
  await popup.locator('[data-partner-sync=popup-empty]').waitFor();

  // The popup follows the sync while open: the new link shows up without a reload.
  const { page: orderPage, localId, remoteId } = await linkedOrder(world, 'Popup story');
  const linkId = `buyer-b|${localId}`;
  const link = popup.locator(`[data-partner-sync=popup-link][data-link-id="${linkId}"]`);
  await expect.poll(() => link.getAttribute('data-state'), { timeout: 10_000 }).toBe('linked');
  const text = (await link.textContent()) ?? '';
  expect(text).toContain('Buyer B');
  expect(text).toMatch(/Last sync: (now|\d+ seconds? ago)/);
  expect(await link.getByRole('link', { name: `Order #${localId}` }).getAttribute('href')).toBe(`${world.boxA.url}/${localId}/`);
  expect(await link.getByRole('link', { name: `partner's process #${remoteId}` }).getAttribute('href')).toBe(`${world.boxB.url}/${remoteId}/`);

  // The partner's process disappears: box B refuses the comment, and it waits for the user.
  const orders = world.boxB.state.orders;
  const [process] = orders.splice(orders.findIndex((o) => o.id === remoteId), 1);
  await writeThroughApi(world, 'A', localId, 'The parts are ready');
  const failed = link.locator('[data-partner-sync=popup-failed]');
  await expect.poll(() => failed.count(), { timeout: 20_000 }).toBe(1);
  const reason = (await failed.textContent()) ?? '';
  expect(reason).toContain('Comment to the partner');
  expect(reason).toContain('The parts are ready');
  expect(reason).toContain('The box refused the data; check the settings.');
  expect(reason).toContain(`Unknown order ${remoteId}`);
  expect(await badgeText()).toBe('1');
  expect(await popup.getByRole('status').textContent()).toContain('need you: 1');

  orders.push(process!);
  await failed.locator('[data-partner-sync=popup-retry]').click();
  await expect.poll(() => world.comments('B', remoteId).map((c) => c.content), { timeout: 10_000 }).toEqual([expect.stringContaining(': The parts are ready')]);
  await expect.poll(() => failed.count()).toBe(0);
  await expect.poll(badgeText).toBe('');

  // Without an open order page the link's next read is far off (its next poll, or the next
  // change detection look, once a minute); "Sync now" does not wait for it.
  await orderPage.close();
  await expect.poll(() => nextReadIn(linkId), { timeout: 70_000 }).toBeGreaterThan(20_000);
  await writeThroughApi(world, 'B', remoteId, 'Received, thanks');
  await popup.locator('[data-partner-sync=sync-now]').click();
  await expect.poll(() => world.comments('A', localId).some((c) => c.content.endsWith(': Received, thanks')), { timeout: 5_000 }).toBe(true);
  // "Sync now" answers before the sync has run; the popup's next refreshes (every 2 s) see it done.
  await expect.poll(() => popup.getByRole('status').textContent(), { timeout: 5_000 }).toContain('Both boxes were checked just now.');
  await popup.close();
}, 160_000);

it('says when the worker could not set itself up, keeps syncing, and stops saying it once set-up works', async () => {
  const { page: orderPage, localId, remoteId } = await linkedOrder(world, 'Worker problem');
  await orderPage.close();
  const worker = await world.browser.worker();
  // The browser refuses to register the content script (as it does, say, when a registration is
  // corrupt): the worker's set-up after a settings change fails.
  await worker.evaluate(async () => {
    const scope = globalThis as unknown as { __register?: typeof chrome.scripting.registerContentScripts };
    scope.__register = chrome.scripting.registerContentScripts;
    await chrome.scripting.unregisterContentScripts();
    chrome.scripting.registerContentScripts = () => Promise.reject(new Error('Registration refused by the browser'));
  });
  const settings = demoSettings(world);
  settings.preferences = { ...settings.preferences, language: 'en', holdSeconds: 2 };
  await writeSettings(world, settings);

  const popup = await world.browser.context.newPage();
  await popup.goto(`chrome-extension://${world.browser.extensionId}/src/popup/index.html`);
  const problem = popup.locator('[data-partner-sync=popup-worker-problem]');
  await expect.poll(() => problem.getAttribute('data-stage'), { timeout: 10_000 }).toBe('set-up');
  expect(await problem.textContent()).toContain('Registration refused by the browser');
  expect(await problem.getAttribute('role')).toBe('alert');

  // The sync itself does not stop: a partner's comment still arrives.
  await writeThroughApi(world, 'B', remoteId, 'Still syncing');
  await popup.locator('[data-partner-sync=sync-now]').click();
  await expect.poll(() => world.comments('A', localId).some((c) => c.content.endsWith(': Still syncing')), { timeout: 10_000 }).toBe(true);

  await worker.evaluate(() => {
    const scope = globalThis as unknown as { __register: typeof chrome.scripting.registerContentScripts };
    chrome.scripting.registerContentScripts = scope.__register;
  });
  settings.preferences.holdSeconds = 3;
  await writeSettings(world, settings);
  await expect.poll(() => problem.count(), { timeout: 10_000 }).toBe(0);
  await popup.close();
});

it('says what an open order page lacks, per element, until the page has it or the tab is closed', async () => {
  // A page of known markup first: the content script is registered by then.
  const page = await openOrder(world, '102');
  const popup = await world.browser.context.newPage();
  await popup.goto(`chrome-extension://${world.browser.extensionId}/src/popup/index.html`);
  const problem = popup.locator('[data-partner-sync=popup-page-problem][data-order-id="102"]');
  const anchors = () => problem.locator('[data-anchor]').evaluateAll((items) => items.map((item) => item.getAttribute('data-anchor')));

  // No comment list, no composer, no header: each is said once the page has settled.
  await page.goto(`${world.boxA.url}/102/?layout=unfamiliar`);
  await expect.poll(anchors, { timeout: 15_000 }).toEqual(['orderHeader', 'commentList', 'composer']);
  expect(await problem.locator('[data-anchor=commentList]').textContent()).toBe('Comment marks are not available on this page: its comment list was not found.');
  expect(await problem.getByRole('link', { name: 'Order #102' }).getAttribute('href')).toBe(`${world.boxA.url}/102/`);

  // The same tab on the page the extension knows: nothing is missing any more.
  await page.goto(`${world.boxA.url}/102/`);
  await expect.poll(() => problem.count(), { timeout: 10_000 }).toBe(0);
  // Said again, and gone with the tab.
  await page.goto(`${world.boxA.url}/102/?layout=unfamiliar`);
  await expect.poll(() => problem.count(), { timeout: 15_000 }).toBe(1);
  await page.close();
  await expect.poll(() => problem.count(), { timeout: 10_000 }).toBe(0);
  await popup.close();
});
