// What every browser test starts from: Chromium with the built extension, two sandbox boxes on
// free loopback ports, and host permission for loopback granted as the user would on save.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Page } from 'playwright-core';
import { startSandbox, type Sandbox, type SandboxDialect } from '../sandbox/index';
import { commentsIn } from '../support/barrier';
import { demoSettings, newOrderInBoxA, type Boxes } from '../support/boxes';
import { resetBox } from '../support/use-sandbox';
import { launchWithExtension, type ExtensionBrowser } from '../support/chromium';
import { loadOrderPage, sendToPartner } from '../support/order-page';

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
    comments: (box, orderId) => commentsIn({ boxA, boxB }, box, orderId),
    // The browser of the moment: a test may have restarted it.
    async close(this: World) {
      await this.browser.close();
      await Promise.all([boxA.close(), boxB.close()]);
    },
  };
}

/**
 * The read dialect both boxes speak in the world: the documented one, or the one the project
 * sets in `SANDBOX_DIALECT` (vitest.config.ts runs the send and comment files in each).
 */
export function worldDialect(): SandboxDialect {
  const dialect = process.env['SANDBOX_DIALECT'] ?? 'wrapped';
  if (dialect !== 'wrapped' && dialect !== 'top-level') throw new Error(`SANDBOX_DIALECT: no such sandbox dialect: ${dialect}`);
  return dialect;
}

/**
 * The world of a test file whose tests each link a fresh order: started before its first test and
 * closed after its last; before each test the boxes lose their faults and quirks (and speak the
 * world's dialect) and the demo settings are written, with the given hold window if one is given.
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
      resetBox(box);
      box.quirks.dialect = worldDialect();
    }
    const settings = demoSettings(world);
    if (holdSeconds !== undefined) settings.preferences.holdSeconds = holdSeconds;
    await writeSettings(world, settings);
  });
  return world;
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

/** Opens an order page of box A (`query` picks a page variant, e.g. `?blocks=late`) and waits for the extension's controls. */
export async function openOrder(world: World, orderId: string, query = ''): Promise<Page> {
  const page = await world.browser.context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
  await loadOrderPage(page, `${world.boxA.url}/${orderId}/${query}`);
  return page;
}

export interface Linked {
  page: Page;
  localId: string;
  remoteId: string;
}

/** A new order in box A, sent to Buyer B through the page (of the variant `query` picks); the page stays open. */
export async function linkedOrder(world: World, name: string, query = ''): Promise<Linked> {
  const localId = await newOrderInBoxA(world, name);
  const page = await openOrder(world, localId, query);
  return { page, localId, remoteId: await sendToPartner(page) };
}
