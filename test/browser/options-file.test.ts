// The settings file on the options page: import through the page hook, export with and without
// passwords, and files that are refused with a list of what is wrong and change nothing.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { field, openOptions, save, storedSettings } from '../support/options-page';
import { startWorld, type World } from './setup';

// Verbatim from design.md ("Settings file"): outside checks import exactly this file.
const DESIGN_EXAMPLE = readFileSync(resolve(import.meta.dirname, '../fixtures/design-settings.json'), 'utf8');

let world: World;
let page: Page;

const importResult = () => page.locator('.import-result');

async function importText(text: string): Promise<void> {
  await page.locator('input[type=file][data-partner-sync="import-settings"]').setInputFiles({
    name: 'settings.json',
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
  await importResult().locator('p').first().waitFor();
}

async function exportFile(includePasswords: boolean): Promise<unknown> {
  await page.getByLabel('Include REST API passwords').setChecked(includePasswords);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export settings file' }).click()]);
  expect(download.suggestedFilename()).toBe('partner-sync-settings.json');
  return JSON.parse(await readFile(await download.path(), 'utf8'));
}

const withoutPasswords = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'restApiPassword' ? undefined : v)));

beforeAll(async () => {
  world = await startWorld();
  // The user's consent to *.1b.app boxes, as if given on Chrome's prompt when saving.
  await world.browser.grantHostPermission('https://*.1b.app/*');
  page = await openOptions(world.browser);
});
afterAll(async () => {
  await world?.close();
});

describe('the settings file', () => {
  it('imports exactly the example of design.md, and saves it', async () => {
    await importText(DESIGN_EXAMPLE);
    expect(await importResult().textContent()).toBe('The file was imported and saved.');
    expect(await storedSettings(page)).toEqual(JSON.parse(DESIGN_EXAMPLE));
    expect(await field(page, 'ownBox.url').inputValue()).toBe('https://a.1b.app');
    expect(await field(page, 'partners.0.assigneeEmail').inputValue()).toBe('ivan@buyer-b.example');
    expect(await field(page, 'partners.0.autoSend.workflowId').inputValue()).toBe('3');
  });

  it('exports without passwords unless the user ticks the box', async () => {
    expect(await exportFile(false)).toEqual(withoutPasswords(JSON.parse(DESIGN_EXAMPLE)));
    expect(await exportFile(true)).toEqual(JSON.parse(DESIGN_EXAMPLE));
  });

  it('imports a file exported without passwords, keeping the passwords of the same logins', async () => {
    const file = withoutPasswords(JSON.parse(DESIGN_EXAMPLE)) as { preferences: { holdSeconds: number } };
    file.preferences.holdSeconds = 30;
    await importText(JSON.stringify(file));
    expect(await importResult().textContent()).toBe('The file was imported and saved.');
    expect(await storedSettings(page)).toEqual({ ...JSON.parse(DESIGN_EXAMPLE), preferences: { shareByDefault: true, holdSeconds: 30, language: 'auto' } });
  });

  it('reads a file whose new login has no password into the form, and saves nothing until it is entered', async () => {
    const before = await storedSettings(page);
    const file = JSON.parse(DESIGN_EXAMPLE) as { partners: Record<string, unknown>[] };
    file.partners[0] = { ...file.partners[0], login: 'another-login' };
    delete file.partners[0]!.restApiPassword;
    await importText(JSON.stringify(file));
    expect(await importResult().textContent()).toBe('The file was read into the form. Enter the missing passwords and save.');
    expect(await page.locator('.error-summary li').allTextContents()).toEqual(['Partner 1 (Buyer B) › REST API password: Enter the REST API password.']);
    expect(await storedSettings(page)).toEqual(before);
    await field(page, 'partners.0.restApiPassword').fill('new-secret');
    expect(await save(page)).toBe('saved');
    expect(await storedSettings(page)).toMatchObject({ partners: [{ login: 'another-login', restApiPassword: 'new-secret' }] });
  });

  describe('a file with mistakes is refused with a list, and changes nothing', () => {
    let before: unknown;
    beforeAll(async () => {
      before = await storedSettings(page);
    });

    async function expectRefused(text: string, problems: string[]): Promise<void> {
      const formBefore = await field(page, 'partners.0.login').inputValue();
      await importText(text);
      expect(await importResult().locator('p').textContent()).toBe(`The file was not imported. Problems found: ${problems.length}`);
      expect(await importResult().locator('li').allTextContents()).toEqual(problems);
      expect(await importResult().getAttribute('role')).toBe('alert');
      expect(await storedSettings(page)).toEqual(before);
      expect(await field(page, 'partners.0.login').inputValue()).toBe(formBefore);
    }

    it('names each wrong field: address, http on a public host, email, id, duplicate partner id', async () => {
      const file = JSON.parse(DESIGN_EXAMPLE) as { ownBox: Record<string, unknown>; partners: Record<string, unknown>[] };
      file.ownBox.url = 'https://exa mple.com';
      file.partners[0]!.boxUrl = 'http://b.1b.app';
      file.partners[0]!.assigneeEmail = 'ivan@';
      file.partners[0]!.workflowId = 'twelve';
      file.partners.push({ ...file.partners[0]!, name: 'Buyer B2', boxUrl: 'https://b2.1b.app', assigneeEmail: 'x@b2.example', workflowId: 4 });
      await expectRefused(JSON.stringify(file), [
        'Your box › Box address: This is not a valid box address.',
        'Partner 1 (Buyer B) › Box address: The box address must start with https://.',
        'Partner 1 (Buyer B) › Assignee email: This is not a valid email address.',
        'Partner 1 (Buyer B) › Business process id: Must be a numeric id, such as 12.',
        'Partner 2 (Buyer B2) › Partner id: Another partner already has the id “buyer-b”.',
      ]);
    });

    it('refuses a version it does not know', async () => {
      await expectRefused(DESIGN_EXAMPLE.replace('"version": 1', '"version": "1.0"'), [
        'File version: Unknown settings file version "1.0"; this extension reads version 1.',
      ]);
      await expectRefused(DESIGN_EXAMPLE.replace('"version": 1', '"version": 2'), [
        'File version: The file comes from a newer version of the extension (file version 2); update the extension to import it.',
      ]);
    });

    it('refuses a misspelt field and a file that is not JSON', async () => {
      await expectRefused(DESIGN_EXAMPLE.replace('"statusId": 57', '"statusid": 57'), [
        'Partner 1 (Buyer B) › "statusid": Unknown field “statusid”; check its spelling.',
      ]);
      await expectRefused(DESIGN_EXAMPLE.replace(/}\s*$/, ''), ['The file is not JSON.']);
    });
  });
});
