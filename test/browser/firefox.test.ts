// The Firefox build end to end: dist-firefox/ installed in Debian's Firefox ESR over WebDriver
// BiDi, the settings imported on the options page and access to the loopback boxes granted by a
// click, as a user does it; then an order sent to the partner and comments both ways between two
// sandbox boxes. The tests run in order, each on the state the one before left.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startSandbox } from '../sandbox/index';
import { barrier, commentsIn } from '../support/barrier';
import { demoSettings, newOrderInBoxA, writeThroughApi, type Boxes } from '../support/boxes';
import { launchFirefoxWithExtension, piercing, type FirefoxWithExtension } from '../support/firefox';
import { loadOrderPage, sendToPartner, writeComment, type OrderPage } from '../support/order-page';

const boxes = {} as Boxes;
let firefox: FirefoxWithExtension;
let settingsDir: string;
const link = { localId: '', remoteId: '' };
let orderTab: Page;
let order: OrderPage;

beforeAll(async () => {
  settingsDir = mkdtempSync(join(tmpdir(), 'partner-sync-settings-'));
  Object.assign(boxes, { boxA: await startSandbox({ name: 'Supplier A' }), boxB: await startSandbox({ name: 'Buyer B' }) });
});
// Launched before the first test, not in beforeAll: vitest counts the tests behind a failed
// beforeAll as skipped, and without Firefox each of them must fail.
beforeEach(async () => {
  firefox ??= await launchFirefoxWithExtension();
});
afterAll(async () => {
  await firefox?.close();
  await Promise.all([boxes.boxA?.close(), boxes.boxB?.close()]);
  rmSync(settingsDir, { recursive: true, force: true });
});

/** The status mark the order page shows beside the comment of box A with this text. */
async function markOf(text: string): Promise<string | null> {
  const comment = commentsIn(boxes, 'A', link.localId).find((c) => c.content === text);
  if (!comment) return null;
  return orderTab.$eval(`pierce/[data-partner-sync=comment-status][data-comment-id="${comment.id}"]`, (mark) => mark.getAttribute('data-state')).catch(() => null);
}

describe('the Firefox build', () => {
  it('imports the settings file on the options page, and a click on "Grant access" reaches the loopback boxes', async () => {
    const options = await firefox.openExtensionPage('src/options/index.html', '[data-partner-sync="save-settings"]');
    const settings = demoSettings(boxes);
    settings.preferences.holdSeconds = 3;
    const file = join(settingsDir, 'partner-sync-settings.json');
    writeFileSync(file, JSON.stringify(settings));
    const input = await options.waitForSelector('input[type=file][data-partner-sync="import-settings"]');
    await input!.uploadFile(file);
    await options.waitForSelector('.import-result p');
    expect(await options.$eval('.import-result', (result) => result.textContent)).toBe('The file was imported and saved.');
    // Firefox takes a permission request as the user's only while a click is handled, and the
    // import asks after reading the file: the page names the boxes and offers the grant.
    const missing = '.notice.bad';
    expect(await options.$eval(`${missing} p`, (notice) => notice.textContent)).toContain(boxes.boxB.url);
    // An element click, not a Locator's: the Locator's visibility wait never settles on Firefox ESR 140.
    await (await options.waitForSelector(`${missing} button`))!.click();
    await options.waitForSelector(missing, { hidden: true });
    const granted = await options.evaluate(async () => (await chrome.permissions.getAll()).origins);
    expect(granted).toContain('http://127.0.0.1/*');
    await options.close();
  });

  it('sends an order to the partner: one process in box B, and the page shows the link', async () => {
    link.localId = await newOrderInBoxA(boxes, 'Firefox: steel brackets');
    orderTab = await firefox.browser.newPage();
    order = piercing(orderTab);
    await loadOrderPage(order, `${boxes.boxA.url}/${link.localId}/`);
    link.remoteId = await sendToPartner(order);
    const processes = boxes.boxB.state.orders.filter((o) => o.externalid.endsWith(`:${link.localId}`));
    expect(processes.map((p) => p.id)).toEqual([link.remoteId]);
    expect(processes[0]).toMatchObject({ workflowid: '12', managerid: '2', name: 'Firefox: steel brackets' });
  });

  it('a shared comment arrives once in the partner box, a private one never leaves', async () => {
    const shared = 'Доброго дня! Shipping on Monday';
    const internal = 'Internal: our margin is 12%';
    await writeComment(order, shared, true);
    await expect.poll(() => markOf(shared), { timeout: 15_000 }).toBe('sent');
    await writeComment(order, internal, false);
    await expect.poll(() => markOf(internal), { timeout: 15_000 }).toBe('private');
    await barrier(boxes, link);
    expect(commentsIn(boxes, 'B', link.remoteId).map((c) => c.content)).toEqual([`Olena Kovalenko (${new URL(boxes.boxA.url).host}): ${shared}`]);
  });

  it('the partner’s reply arrives once in the own box, marked as received on the page', async () => {
    const reply = 'Ivan Petrenko (Buyer B): Thanks, Monday works for us';
    await writeThroughApi(boxes, 'B', link.remoteId, 'Thanks, Monday works for us');
    await expect.poll(() => commentsIn(boxes, 'A', link.localId).map((c) => c.content), { timeout: 20_000 }).toContain(reply);
    await barrier(boxes, link);
    expect(commentsIn(boxes, 'A', link.localId).filter((c) => c.content === reply)).toHaveLength(1);
    await orderTab.reload();
    await expect.poll(() => markOf(reply), { timeout: 15_000 }).toBe('received');
  });
});
