// Drives an order page of the own box as a manager does. Shared by the browser tests and the
// `npm start` walkthrough.
import type { Page } from 'playwright-core';

/** Writes in the box's own comment composer, with the pictogram set as asked. */
export async function writeComment(page: Page, text: string, share: boolean): Promise<void> {
  const toggle = page.locator('[data-partner-sync=share-toggle]');
  await toggle.waitFor();
  if ((await toggle.getAttribute('aria-pressed')) !== String(share)) await toggle.click();
  await page.locator('#js-postcomment').fill(text);
  await page.locator('.js-comment-submit').click();
}
