// Drives an order page of the own box as a manager does. Shared by the browser tests in Chromium
// and Firefox, the bench and the `npm start` walkthrough.

/**
 * What these helpers use of a page, in Playwright's terms: its CSS selectors reach into the
 * open shadow roots the extension's controls live in. A Playwright page is one as it is; a
 * Puppeteer page becomes one through `piercing` (test/support/firefox.ts).
 */
export interface OrderPage {
  goto(url: string): Promise<unknown>;
  waitForSelector(selector: string, options?: { timeout?: number }): Promise<unknown>;
  $eval(selector: string, read: (element: Element) => string | null): Promise<string | null>;
  locator(selector: string): { click(): Promise<void>; fill(value: string): Promise<void> };
}

/** Loads an order page, again until the extension's controls show; the script registration follows a settings change. */
export async function loadOrderPage(page: OrderPage, url: string): Promise<void> {
  for (const deadline = Date.now() + 20_000; ;) {
    await page.goto(url);
    const shown = await page.waitForSelector('[data-partner-sync-host]', { timeout: 2_000 }).then(() => true, () => false);
    if (shown) return;
    if (Date.now() > deadline) throw new Error(`the extension's controls did not show on ${url}`);
  }
}

/** "Send to partner" and confirm, on the page; resolves to the partner's process id once linked. */
export async function sendToPartner(page: OrderPage): Promise<string> {
  await page.locator('[data-partner-sync=send]').click();
  await page.locator('[data-partner-sync=confirm-send]').click();
  const linked = '[data-partner-sync=link][data-state=linked]';
  await page.waitForSelector(linked, { timeout: 15_000 });
  const remoteId = await page.$eval(linked, (link) => link.getAttribute('data-remote-id'));
  if (!remoteId) throw new Error('the linked order shows no partner process id');
  return remoteId;
}

/** Writes in the box's own comment composer, with the pictogram set as asked. */
export async function writeComment(page: OrderPage, text: string, share: boolean): Promise<void> {
  const toggle = '[data-partner-sync=share-toggle]';
  await page.waitForSelector(toggle);
  if ((await page.$eval(toggle, (element) => element.getAttribute('aria-pressed'))) !== String(share)) await page.locator(toggle).click();
  await page.locator('#js-postcomment').fill(text);
  await page.locator('.js-comment-submit').click();
}
