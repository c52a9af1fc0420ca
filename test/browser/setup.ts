// What every browser test starts from: Chromium with the built extension, two sandbox boxes on
// free loopback ports, and host permission for loopback granted as the user would on save.
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { newOrderInBoxA, type Boxes } from '../support/boxes';
import { launchWithExtension, type ExtensionBrowser } from '../support/chromium';

export interface World extends Boxes {
  browser: ExtensionBrowser;
  /** The comments (not system entries) an order holds in box A or box B, oldest first. */
  comments(box: 'A' | 'B', orderId: string): Sandbox['state']['comments'];
  close(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const [boxA, boxB] = await Promise.all([startSandbox({ name: 'Supplier A' }), startSandbox({ name: 'Buyer B' })]);
  const browser = await launchWithExtension();
  await browser.grantHostPermission('http://127.0.0.1/*');
  return {
    browser,
    boxA,
    boxB,
    comments: (box, orderId) =>
      (box === 'A' ? boxA : boxB).state.comments.filter((c) => c.orderid === orderId && c.type === 'comment'),
    close: async () => {
      await browser.close();
      await Promise.all([boxA.close(), boxB.close()]);
    },
  };
}

/** Writes settings straight into the extension's storage, as a saved options page would. */
export async function writeSettings(world: World, settings: unknown): Promise<void> {
  const worker = await world.browser.worker();
  await worker.evaluate((value) => chrome.storage.local.set({ settings: value }), settings);
}

/** Opens an order page of box A and waits for the extension's controls. */
export async function openOrder(world: World, orderId: string): Promise<Page> {
  const page = await world.browser.context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
  await expect.poll(async () => {
    await page.goto(`${world.boxA.url}/${orderId}/`);
    // The script registration follows a settings change; give each load a moment to show it.
    return page.locator('[data-partner-sync-host]').first().waitFor({ timeout: 2_000 }).then(() => 1, () => 0);
  }, { timeout: 20_000, interval: 100 }).toBe(1);
  return page;
}

export interface Linked {
  page: Page;
  localId: string;
  remoteId: string;
}

/** A new order in box A, sent to Buyer B through the page; the page stays open. */
export async function linkedOrder(world: World, name: string): Promise<Linked> {
  const localId = await newOrderInBoxA(world, name);
  const page = await openOrder(world, localId);
  await page.locator('[data-partner-sync=send]').click();
  await page.locator('[data-partner-sync=confirm-send]').click();
  const link = page.locator('[data-partner-sync=link][data-state=linked]');
  await link.waitFor({ timeout: 15_000 });
  return { page, localId, remoteId: (await link.getAttribute('data-remote-id'))! };
}
