// What every browser test starts from: Chromium with the built extension, two sandbox boxes on
// free loopback ports, and host permission for loopback granted as the user would on save.
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { Settings } from '../../src/settings/types';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { launchWithExtension, type ExtensionBrowser } from '../support/chromium';

export interface World {
  browser: ExtensionBrowser;
  boxA: Sandbox;
  boxB: Sandbox;
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

export function demoSettings(world: World): Settings {
  return {
    version: 1 as const,
    ownBox: { url: world.boxA.url, login: 'olena', restApiPassword: 'olena-secret' },
    partners: [
      {
        id: 'buyer-b',
        name: 'Buyer B',
        boxUrl: world.boxB.url,
        login: 'partner-sync',
        restApiPassword: 'sync-secret',
        assigneeEmail: `ivan@${world.boxB.slug}.example`,
        workflowId: 12,
        syncOnlyClientVisibleComments: true,
        syncClient: false,
      },
    ],
    preferences: { shareByDefault: true, holdSeconds: 2, language: 'auto' },
  };
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

/** A call to a sandbox box's API as an outside program would make it. */
export async function apiCall(base: string, path: string, body: unknown, token?: string): Promise<unknown> {
  const response = await fetch(`${base}/api/v2/${path}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { token } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { status: number; dataArray: unknown };
  if (json.status !== 1) throw new Error(`${path}: ${JSON.stringify(json)}`);
  return json.dataArray;
}

export async function tokenFor(base: string, login: string, password: string): Promise<string> {
  const answer = await apiCall(base, 'token/get', { login, restapipassword: password });
  return (answer as { token: string }).token;
}

/** A fresh order in box A, so a test starts unlinked. */
export async function newOrderInBoxA(world: World, name: string): Promise<string> {
  const token = await tokenFor(world.boxA.url, 'olena', 'olena-secret');
  const ids = await apiCall(world.boxA.url, 'order/set', [{ name, workflowid: 3, statusid: 8 }], token);
  return String((ids as unknown[])[0]);
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
