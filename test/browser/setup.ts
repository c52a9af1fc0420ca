// What every browser test starts from: Chromium with the built extension, two sandbox boxes on
// free loopback ports, and host permission for loopback granted as the user would on save.
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { defaultQuirks, startSandbox, type Sandbox } from '../sandbox/index';
import { apiCall, commentSetOf, demoSettings, newOrderInBoxA, tokenFor, type Boxes } from '../support/boxes';
import { launchWithExtension, type ExtensionBrowser } from '../support/chromium';

export interface World extends Boxes {
  browser: ExtensionBrowser;
  /** The comments (not system entries, not barriers) an order holds in box A or box B, oldest first. */
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
      (box === 'A' ? boxA : boxB).state.comments.filter((c) => c.orderid === orderId && c.type === 'comment' && !c.content.endsWith(BARRIER_MARK)),
    // The browser of the moment: a test may have restarted it.
    async close(this: World) {
      await this.browser.close();
      await Promise.all([boxA.close(), boxB.close()]);
    },
  };
}

/**
 * The world of a test file whose tests each link a fresh order: started before its first test and
 * closed after its last; before each test the boxes lose their faults and quirks and the demo
 * settings are written, with the given hold window if one is given.
 */
export function useSyncWorld(holdSeconds?: number): World {
  const world = {} as World;
  beforeAll(async () => {
    Object.assign(world, await startWorld());
  });
  afterAll(async () => {
    await world.close?.();
  });
  beforeEach(async () => {
    for (const box of [world.boxA, world.boxB]) {
      box.faults.reset();
      Object.assign(box.quirks, defaultQuirks());
    }
    const settings = demoSettings(world);
    if (holdSeconds !== undefined) settings.preferences.holdSeconds = holdSeconds;
    await writeSettings(world, settings);
  });
  return world;
}

/** A comment written outside the page, as the box's mobile app would: by Olena in box A, by Ivan in box B. */
export async function writeThroughApi(world: World, box: 'A' | 'B', orderId: string, content: string, clientvisible = 1): Promise<void> {
  const target = box === 'A' ? world.boxA : world.boxB;
  const [login, password] = box === 'A' ? ['olena', 'olena-secret'] : ['ivan', 'ivan-secret'];
  await apiCall(target.url, commentSetOf(target), [{ orderid: Number(orderId), content, clientvisible }], await tokenFor(target.url, login, password));
}

const BARRIER_MARK = '· barrier';
let barriers = 0;

/**
 * Proof that nothing more is on its way, without waiting a fixed time: a colleague writes a
 * shared comment after the action under test, in each direction, and it is awaited at the
 * other end. A direction is one ordered lane, read in the order written, so once the barrier has
 * arrived everything written before it has been decided. `world.comments` leaves barriers out.
 */
export async function barrier(world: World, link: { localId: string; remoteId: string }): Promise<void> {
  // The two directions are two lanes: their barriers travel side by side.
  await Promise.all((['A→B', 'B→A'] as const).map(async (direction) => {
    const [from, to, fromOrder, toOrder] = direction === 'A→B'
      ? [world.boxA, world.boxB, link.localId, link.remoteId]
      : [world.boxB, world.boxA, link.remoteId, link.localId];
    const content = `${++barriers} ${BARRIER_MARK}`;
    const token = await tokenFor(from.url, 'ivan', 'ivan-secret');
    await apiCall(from.url, commentSetOf(from), [{ orderid: Number(fromOrder), content, clientvisible: 1 }], token);
    await expect.poll(() => to.state.comments.some((c) => c.orderid === toOrder && c.content.endsWith(`: ${content}`)), { timeout: 30_000 }).toBe(true);
  }));
}

/**
 * The worker's database, seen from the test: every record of one store, or (with `remove`) that
 * record deleted first, as if it had never been written.
 */
export async function workerStore<T>(world: World, store: string, remove?: string): Promise<T[]> {
  const worker = await world.browser.worker();
  return worker.evaluate(({ store, remove }) => new Promise<T[]>((resolve, reject) => {
    const open = indexedDB.open('partner-sync');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction(store, 'readwrite');
      if (remove !== undefined) tx.objectStore(store).delete(remove);
      const read = tx.objectStore(store).getAll();
      tx.onerror = () => reject(tx.error);
      tx.oncomplete = () => {
        open.result.close();
        resolve(read.result as T[]);
      };
    };
  }), { store, remove });
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
