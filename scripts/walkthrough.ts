// The demo walkthrough shared by `npm start` (with a window) and `npm start -- --headless`
// (screenshots). Each step shows one thing a manager does.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Sandbox } from '../test/sandbox/index';
import type { ExtensionBrowser } from '../test/support/chromium';
import { addPartner, fillOwnBox, openOptions, ownBoxCard, partnerCard, save, testConnection } from '../test/support/options-page';

export interface WalkthroughContext {
  browser: ExtensionBrowser;
  boxA: Sandbox;
  boxB: Sandbox;
  /** Folder for screenshots, or null when a person is watching the window. */
  screenshots: string | null;
}

export async function runWalkthrough({ browser, boxA, boxB, screenshots }: WalkthroughContext): Promise<Page> {
  let step = 0;
  const shot = async (page: Page, name: string) => {
    if (!screenshots) return;
    step += 1;
    const file = join(screenshots, `${String(step).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`  screenshot: ${file}`);
  };

  // The user's consent to the loopback boxes, which Chrome asks for when the options page saves
  // (no prompt can show headless, so it is given here as the click on "Allow" would).
  await browser.grantHostPermission('http://127.0.0.1/*');

  // The manager sets up the extension on its options page: own box, one partner, each tested.
  const page = await openOptions(browser);
  await fillOwnBox(page, { url: boxA.url, login: 'olena', password: 'olena-secret' });
  await testConnection(ownBoxCard(page));
  await addPartner(page, {
    id: 'buyer-b',
    name: 'Buyer B',
    url: boxB.url,
    login: 'partner-sync',
    password: 'sync-secret',
    assigneeEmail: `ivan@${boxB.slug}.example`,
    workflowId: '12',
  });
  await testConnection(partnerCard(page, 0));
  if ((await save(page)) !== 'saved') throw new Error('the options page did not save the demo settings');
  await shot(page, 'options-en');
  // The page speaks the language picked in its preferences at once; back to "auto" unsaved.
  await page.locator('#f-preferences-language').selectOption('uk');
  await page.locator('h1', { hasText: 'Налаштування' }).waitFor();
  await shot(page, 'options-uk');
  await page.locator('#f-preferences-language').selectOption('auto');

  // The content script is registered on box A after the settings change; reload until it shows.
  for (let attempt = 0; attempt < 20; attempt++) {
    await page.goto(`${boxA.url}/101/`);
    if (await page.locator('[data-partner-sync=send]').count()) break;
    await page.waitForTimeout(300);
  }
  await shot(page, 'order-page-box-a');
  return page;
}
