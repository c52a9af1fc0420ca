// The options page in Chromium: filling the form, saving, reloading, the content script on the
// own box, partners added, duplicated and removed, and the host permissions that follow them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithExtension } from '../support/chromium';
import { addPartner, demoPartner, field, fillOwnBox, openOptions, save, storedSettings } from '../support/options-page';
import { startWorld, type World } from './setup';

let world: World;
let page: Page;

const grantedOrigins = (): Promise<string[]> => page.evaluate(async () => (await chrome.permissions.getAll()).origins ?? []);

beforeAll(async () => {
  world = await startWorld();
  page = await openOptions(world.browser);
});
afterAll(async () => {
  await world?.close();
});

describe('the options page', () => {
  it('saves a filled form as the settings file of design.md and shows it again after a reload', async () => {
    await fillOwnBox(page, { url: `${world.boxA.url}/101/`, login: 'olena', password: 'olena-secret', companyName: ' Supplier A ' });
    await addPartner(page, demoPartner(world.boxB, { statusId: '57', fieldMap: [{ from: 'deadline', to: 'partner_deadline' }] }));
    await page.locator('fieldset.partner').first().getByRole('button', { name: 'Add stage' }).click();
    await field(page, 'partners.0.stageMap.0.from').fill('58');
    await field(page, 'partners.0.stageMap.0.to').fill('10');
    await page.getByLabel('Sync the process client').check();
    await page.getByLabel('Send orders to this partner by themselves').check();
    await field(page, 'partners.0.autoSend.workflowId').fill('3');
    await field(page, 'partners.0.autoSend.statusId').fill('9');
    await page.getByLabel('Share new comments with partners by default').uncheck();
    await field(page, 'preferences.holdSeconds').fill('5');
    await expect.poll(() => page.locator('.save-bar [role=status]').textContent()).toBe('Unsaved changes.');

    expect(await save(page)).toBe('saved');
    const expected = {
      version: 1,
      // Reduced to the origin: the page address the user pasted is not a box address.
      ownBox: { url: world.boxA.url, login: 'olena', restApiPassword: 'olena-secret', companyName: 'Supplier A' },
      partners: [
        {
          id: 'buyer-b', name: 'Buyer B', boxUrl: world.boxB.url, login: 'partner-sync', restApiPassword: 'sync-secret',
          assigneeEmail: `ivan@${world.boxB.slug}.example`, workflowId: 12, statusId: 57,
          syncOnlyClientVisibleComments: true, syncClient: true,
          fieldMap: [{ from: 'deadline', to: 'partner_deadline' }], stageMap: [{ from: 58, to: 10 }], autoSend: { workflowId: 3, statusId: 9 },
        },
      ],
      preferences: { shareByDefault: false, holdSeconds: 5, language: 'auto' },
    };
    expect(await storedSettings(page)).toEqual(expected);
    expect(await page.locator('.save-bar [role=status]').textContent()).toBe('Settings saved.');

    await page.reload();
    await field(page, 'ownBox.url').waitFor();
    expect(await field(page, 'ownBox.url').inputValue()).toBe(world.boxA.url);
    expect(await field(page, 'ownBox.restApiPassword').inputValue()).toBe('olena-secret');
    expect(await field(page, 'partners.0.statusId').inputValue()).toBe('57');
    expect(await field(page, 'partners.0.fieldMap.0.to').inputValue()).toBe('partner_deadline');
    expect(await field(page, 'partners.0.stageMap.0.from').inputValue()).toBe('58');
    expect(await field(page, 'ownBox.companyName').inputValue()).toBe('Supplier A');
    expect(await field(page, 'partners.0.autoSend.statusId').inputValue()).toBe('9');
    expect(await page.getByLabel('Sync only comments visible in the client cabinet (recommended)').isChecked()).toBe(true);
    expect(await page.getByLabel('Sync the process client').isChecked()).toBe(true);
    expect(await page.getByLabel('Share new comments with partners by default').isChecked()).toBe(false);
    expect(await field(page, 'preferences.holdSeconds').inputValue()).toBe('5');
    expect(await page.locator('.save-bar [role=status]').textContent()).toBe('');
  });

  it('registers the content script on the own box origin, to persist across sessions', async () => {
    const worker = await world.browser.worker();
    await expect
      .poll(() => worker.evaluate(() => chrome.scripting.getRegisteredContentScripts()), { timeout: 10_000 })
      .toEqual([expect.objectContaining({ id: 'own-box', matches: [`${world.boxA.url}/*`], persistAcrossSessions: true })]);
    const order = await world.browser.context.newPage();
    await order.goto(`${world.boxA.url}/101/`);
    await order.locator('[data-partner-sync]').first().waitFor({ timeout: 10_000 });
    await order.close();
  });

  it('duplicates a partner, and gives back the access of a box no partner uses any more', async () => {
    // The user's consent to localhost boxes, as if given on Chrome's prompt; then only the
    // extension's own requests grant (and its removals take back) single localhost origins.
    await world.browser.grantHostPermission('http://localhost/*');
    await page.evaluate(() => chrome.permissions.remove({ origins: ['http://localhost/*'] }));
    const localhost = world.boxB.url.replace('127.0.0.1', 'localhost');

    await page.getByRole('button', { name: 'Duplicate “Buyer B”' }).click();
    expect(await field(page, 'partners.1.id').inputValue()).toBe('buyer-b-1');
    expect(await field(page, 'partners.1.name').inputValue()).toBe('Buyer B (copy)');
    expect(await field(page, 'partners.1.restApiPassword').inputValue()).toBe('sync-secret');
    await field(page, 'partners.1.boxUrl').fill(localhost);
    expect(await save(page)).toBe('saved');
    expect(await storedSettings(page)).toMatchObject({ partners: [{ id: 'buyer-b' }, { id: 'buyer-b-1', boxUrl: localhost, name: 'Buyer B (copy)' }] });
    expect(await grantedOrigins()).toContain(`${localhost}/*`);

    await page.getByRole('button', { name: 'Remove “Buyer B (copy)”' }).click();
    // The focus does not fall off the page with the removed card.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Add partner');
    expect(await save(page)).toBe('saved');
    expect(await storedSettings(page)).toMatchObject({ partners: [{ id: 'buyer-b' }] });
    const granted = await grantedOrigins();
    expect(granted).not.toContain(`${localhost}/*`);
    // What the remaining boxes need, and what the manifest grants for good, stay.
    expect(granted).toEqual(expect.arrayContaining(['http://127.0.0.1/*', 'https://*.1b.app/*']));
  });

  it('adds and removes field mapping rows', async () => {
    const card = page.locator('fieldset.partner').first();
    await card.getByRole('button', { name: 'Add field' }).click();
    await field(page, 'partners.0.fieldMap.1.from').fill('budget');
    await field(page, 'partners.0.fieldMap.1.to').fill('partner_budget');
    await card.getByRole('button', { name: 'Remove field row 1' }).click();
    expect(await save(page)).toBe('saved');
    expect(await storedSettings(page)).toMatchObject({ partners: [{ fieldMap: [{ from: 'budget', to: 'partner_budget' }] }] });
  });

  it('still runs on the own box after the browser restarts', async () => {
    // The same profile, as after quitting Chrome: only what the browser persisted is there.
    await world.browser.context.close();
    const restarted = await launchWithExtension({ userDataDir: world.browser.userDataDir });
    try {
      const order = await restarted.context.newPage();
      await expect
        .poll(async () => {
          await order.goto(`${world.boxA.url}/101/`);
          return order.locator('[data-partner-sync]').count();
        }, { timeout: 15_000, interval: 500 })
        .toBeGreaterThan(0);
      const options = await openOptions(restarted);
      expect(await field(options, 'partners.0.name').inputValue()).toBe('Buyer B');
    } finally {
      await restarted.close();
    }
  });
});
