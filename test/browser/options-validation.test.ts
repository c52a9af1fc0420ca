// Mistakes in the options form, and using it without a mouse, with a screen reader, in Ukrainian
// and in a narrow window: whatever is wrong is said at its field and nothing is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addPartner, field, fillOwnBox, openOptions, save, storedSettings } from '../support/options-page';
import { startWorld, type World } from './setup';

let world: World;
let page: Page;

/** The error text tied to a field through aria-describedby, as a screen reader reads it. */
async function fieldError(path: string): Promise<string | null> {
  const input = field(page, path);
  if ((await input.getAttribute('aria-invalid')) !== 'true') return null;
  const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(' ').filter((id) => id.endsWith('-error'));
  return ids.length === 1 ? page.locator(`[id="${ids[0]}"]`).textContent() : null;
}

beforeAll(async () => {
  world = await startWorld();
  page = await openOptions(world.browser);
});
afterAll(async () => {
  await world?.close();
});

describe('mistakes in the form', () => {
  it('are each said at their field and listed in an announced summary that takes the focus; nothing is stored', async () => {
    await fillOwnBox(page, { url: 'not a url', login: 'olena', password: 'olena-secret' });
    const partner = { id: 'buyer-b', name: 'Buyer B', login: 'partner-sync', password: 'sync-secret', workflowId: '12a' };
    await addPartner(page, { ...partner, url: 'http://b.example.com', assigneeEmail: 'ivan@' });
    await addPartner(page, { ...partner, name: 'Buyer B again', url: world.boxB.url, assigneeEmail: 'ivan@b.example', workflowId: '12' });

    expect(await save(page)).toBe('invalid');
    const summary = page.locator('.error-summary');
    expect(await summary.getAttribute('role')).toBe('alert');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('error-summary');
    expect(await summary.locator('li').allTextContents()).toEqual([
      'Your box › Box address: This is not a valid box address.',
      'Partner 1 (Buyer B) › Box address: The box address must start with https://.',
      'Partner 1 (Buyer B) › Assignee email: This is not a valid email address.',
      'Partner 1 (Buyer B) › Business process id: Must be a numeric id, such as 12.',
      'Partner 2 (Buyer B again) › Partner id: Another partner already has the id “buyer-b”.',
    ]);
    expect(await fieldError('ownBox.url')).toBe('This is not a valid box address.');
    expect(await fieldError('partners.0.boxUrl')).toBe('The box address must start with https://.');
    expect(await fieldError('partners.0.assigneeEmail')).toBe('This is not a valid email address.');
    expect(await fieldError('partners.0.workflowId')).toBe('Must be a numeric id, such as 12.');
    expect(await fieldError('partners.1.id')).toBe('Another partner already has the id “buyer-b”.');
    expect(await fieldError('partners.1.workflowId')).toBeNull();
    expect(await storedSettings(page)).toBeUndefined();
  });

  it('move the focus to their field from the summary', async () => {
    await page.locator('.error-summary a', { hasText: 'Assignee email' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-partners-0-assigneeEmail');
  });

  it('disappear from a field as soon as it is corrected', async () => {
    await field(page, 'partners.0.assigneeEmail').fill(`ivan@${world.boxB.slug}.example`);
    expect(await fieldError('partners.0.assigneeEmail')).toBeNull();
    expect(await page.locator('.error-summary li').count()).toBe(4);
  });

  it('can be fixed and saved from the keyboard alone, with the focus always visible', async () => {
    await field(page, 'ownBox.url').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(world.boxA.url);
    // Tab moves on to the next field, in the order of the page.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-ownBox-login');
    const outline = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement!);
      return `${style.outlineStyle} ${style.outlineWidth}`;
    });
    expect(outline).toBe('solid 3px');

    for (const [path, value] of [['partners.0.boxUrl', world.boxB.url], ['partners.0.workflowId', '12'], ['partners.1.id', 'buyer-b-2']] as const) {
      await field(page, path).focus();
      await page.keyboard.press('Control+A');
      await page.keyboard.type(value);
    }
    // Enter in a field submits the form, as in any form.
    await page.keyboard.press('Enter');
    await page.locator('.save-bar [role=status].good').waitFor();
    expect(await storedSettings(page)).toMatchObject({ ownBox: { url: world.boxA.url }, partners: [{ id: 'buyer-b' }, { id: 'buyer-b-2' }] });
  });

  it('give every control a name a screen reader can say', async () => {
    const unnamed = await page.locator('input, select, button').evaluateAll((elements) =>
      elements
        .filter((element) => {
          const labelled = (element as HTMLInputElement).labels?.length || element.getAttribute('aria-label');
          return !labelled && !(element instanceof HTMLButtonElement && element.textContent?.trim());
        })
        .map((element) => element.outerHTML),
    );
    expect(unnamed).toEqual([]);
  });
});

describe('the page in Ukrainian and in a narrow window', () => {
  it('speaks the chosen language at once, errors included', async () => {
    await page.getByLabel('Language').selectOption('uk');
    await expect.poll(() => page.evaluate(() => [document.documentElement.lang, document.title])).toEqual(['uk', 'Налаштування Partner Sync']);
    expect(await page.locator('h1').textContent()).toBe('Налаштування Partner Sync');
    await field(page, 'partners.0.assigneeEmail').fill('ivan@');
    await page.getByRole('button', { name: 'Зберегти' }).click();
    expect(await fieldError('partners.0.assigneeEmail')).toBe('Неправильна адреса email.');
    expect(await page.locator('.error-summary li').allTextContents()).toEqual(['Партнер 1 (Buyer B) › Email виконавця: Неправильна адреса email.']);
  });

  it('fits a narrow window without scrolling sideways', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.setViewportSize({ width: 1200, height: 900 });
  });
});
