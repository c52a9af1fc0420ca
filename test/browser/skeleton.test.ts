import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrder, startWorld, writeSettings, type World } from './setup';
import { demoSettings } from '../support/boxes';

describe('the extension in Chromium', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  it('loads its worker from the built manifest', async () => {
    const worker = await world.browser.worker();
    const manifest = await worker.evaluate(() => chrome.runtime.getManifest());
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('shows its send control on an order page of the own box once settings name it', async () => {
    await writeSettings(world, demoSettings(world));
    const page = await world.browser.context.newPage();
    // Registration follows the storage change asynchronously: poll until the script is in.
    await expect
      .poll(async () => {
        await page.goto(`${world.boxA.url}/101/`);
        return page.locator('[data-partner-sync=send]').count();
      }, { timeout: 15_000, interval: 500 })
      .toBe(1);
    await page.close();
  });

  it('stays off pages of boxes that are not the own box', async () => {
    await writeSettings(world, demoSettings(world));
    const page = await world.browser.context.newPage();
    await page.goto(`${world.boxB.url}/101/`);
    // An order page of the own box, loaded after it, gets its controls: by then box B's page
    // would have had them too.
    const own = await openOrder(world, '101');
    expect(await page.locator('[data-partner-sync]').count()).toBe(0);
    await Promise.all([page.close(), own.close()]);
  });

  it('renders the options page and the popup', async () => {
    const page = await world.browser.context.newPage();
    await page.goto(`chrome-extension://${world.browser.extensionId}/src/options/index.html`);
    await expect.poll(() => page.locator('h1').textContent()).toBeTruthy();
    await page.goto(`chrome-extension://${world.browser.extensionId}/src/popup/index.html`);
    await expect.poll(() => page.locator('h1').textContent()).toBeTruthy();
    await page.close();
  });
});
