// The built extension in Chromium against two sandbox boxes (the browser tests' world), with
// the shortest hold window the settings allow, and orders linked through the page.
import type { Page } from 'playwright-core';
import { HOLD_SECONDS } from '../../src/settings/schema';
import { startWorld, writeSettings, type World } from '../../test/browser/setup';
import { demoSettings } from '../../test/support/boxes';

export async function startBenchWorld(): Promise<World> {
  const world = await startWorld();
  const settings = demoSettings(world);
  settings.preferences.holdSeconds = HOLD_SECONDS.min;
  await writeSettings(world, settings);
  await waitForContentScript(world);
  return world;
}

/** Bounded wait for a condition checked in Node; false when the time ran out. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 10): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return check();
}

// The worker registers the content script for the sandbox's origin after the settings change;
// waiting for that here lets every page load below show the extension at once.
async function waitForContentScript(world: World): Promise<void> {
  const worker = await world.browser.worker();
  const pattern = `${world.boxA.url}/*`;
  const registered = () => worker.evaluate((p) => chrome.scripting.getRegisteredContentScripts().then((all) => all.some((s) => s.matches?.includes(p))), pattern);
  if (!(await waitFor(registered, 20_000, 100))) throw new Error(`the content script was not registered for ${pattern}`);
}

/** Opens an order page of box A and waits for the extension's controls. */
export async function openOrderPage(world: World, orderId: string): Promise<Page> {
  const page = await world.browser.context.newPage();
  await page.goto(`${world.boxA.url}/${orderId}/`);
  await page.locator('[data-partner-sync-host]').first().waitFor({ timeout: 15_000 });
  return page;
}
