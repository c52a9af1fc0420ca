// The demo walkthrough shared by `npm start` (with a window) and `npm start -- --headless`
// (screenshots). Each step shows one thing a manager does.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Sandbox } from '../test/sandbox/index';
import type { ExtensionBrowser } from '../test/support/chromium';
import { apiCall, tokenFor } from '../test/support/boxes';
import { writeComment } from '../test/support/order-page';
import { addPartner, demoOwnBox, demoPartner, fillOwnBox, openOptions, ownBoxCard, partnerCard, save, testConnection } from '../test/support/options-page';

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
  await fillOwnBox(page, demoOwnBox(boxA));
  await testConnection(ownBoxCard(page));
  await addPartner(page, demoPartner(boxB));
  await testConnection(partnerCard(page, 0));
  if ((await save(page)) !== 'saved') throw new Error('the options page did not save the demo settings');
  await shot(page, 'options-en');
  // The page speaks the language picked in its preferences at once; back to "auto" unsaved.
  await page.locator('#f-preferences-language').selectOption('uk');
  await page.locator('h1', { hasText: 'Налаштування' }).waitFor();
  await shot(page, 'options-uk');
  await page.locator('#f-preferences-language').selectOption('ru');
  await page.locator('h1', { hasText: 'Настройки' }).waitFor();
  await shot(page, 'options-ru');
  await page.locator('#f-preferences-language').selectOption('auto');

  // The content script is registered on box A after the settings change; reload until it shows.
  for (let attempt = 0; attempt < 20; attempt++) {
    await page.goto(`${boxA.url}/101/`);
    if (await page.locator('[data-partner-sync=send]').count()) break;
    await page.waitForTimeout(300);
  }
  await shot(page, 'order-page-box-a');

  // "Send to partner": a preview of what will be created, then one process in box B.
  await page.locator('[data-partner-sync=send]').click();
  await page.locator('[data-partner-sync=preview]').waitFor();
  await shot(page, 'send-preview');
  await page.locator('[data-partner-sync=confirm-send]').click();
  const link = page.locator('[data-partner-sync=link][data-state=linked]');
  await link.waitFor({ timeout: 30_000 });
  const remoteId = await link.getAttribute('data-remote-id');
  await shot(page, 'linked');

  // Box A: a comment for the partner and a private one (pictogram switched off).
  await writeComment(page, 'Доброго дня! Відвантаження в понеділок, 500 шт. 🚚', true);
  await waitForMark(page, 'sent');
  await writeComment(page, 'Internal: margin on this order is 12%, do not share.', false);
  await waitForMark(page, 'private');
  await shot(page, 'comments-box-a');

  // Box B, as the partner's employee sees it: the process, with only the shared comment; then
  // Ivan replies there, in his own box.
  const partnerPage = await browser.context.newPage();
  await partnerPage.goto(`${boxB.url}/${remoteId}/?as=ivan`);
  await partnerPage.locator('#js-postcomment').fill('Дякую! Підтверджуємо прийом у понеділок до 12:00.');
  await partnerPage.locator('.js-comment-submit').click();
  await partnerPage.locator('.cbody', { hasText: 'Підтверджуємо' }).waitFor();
  await shot(partnerPage, 'partner-process-box-b');
  await partnerPage.close();

  // Box A again: the partner's reply arrives, attributed, marked as received.
  for (let attempt = 0; attempt < 30; attempt++) {
    await page.reload();
    if (await page.locator('[data-partner-sync=comment-status][data-state=received]').count()) break;
    await page.waitForTimeout(1_000);
  }
  await shot(page, 'partner-reply-box-a');

  // Box B: Ivan takes the order into work (its stage "In progress"); the open order page in box
  // A shows the partner's stage within seconds.
  const ivan = await tokenFor(boxB.url, 'ivan', 'ivan-secret');
  await apiCall(boxB.url, 'order/set', [{ orderid: Number(remoteId), statusid: 57 }], ivan);
  await page.locator('[data-partner-sync=link][data-remote-status-id="57"]').waitFor({ timeout: 30_000 });
  await shot(page, 'partner-stage-box-a');

  // Box A: what the sync did with the order, from the send to the partner's stage.
  await page.locator('[data-partner-sync=history]').click();
  await page.locator('[data-partner-sync=history-entry][data-event=stage-changed]').waitFor({ timeout: 15_000 });
  await shot(page, 'history-box-a');

  const popup = await browser.context.newPage();
  await popup.setViewportSize({ width: 380, height: 600 });
  await popup.goto(`chrome-extension://${browser.extensionId}/src/popup/index.html`);
  await popup.locator('[data-partner-sync=popup-link]').first().waitFor();
  await shot(popup, 'popup');
  // The same history, for this linked order, in the popup.
  await popup.locator('[data-partner-sync=popup-history]').first().click();
  await popup.locator('[data-partner-sync=history-entry]').first().waitFor({ timeout: 15_000 });
  await shot(popup, 'popup-history');
  await popup.close();
  return page;
}

/** Waits until the newest comment's mark reaches a state (the hold window included). */
async function waitForMark(page: Page, state: string): Promise<void> {
  await page.locator(`[data-partner-sync=comment-status][data-state=${state}]`).last().waitFor({ timeout: 60_000 });
}
