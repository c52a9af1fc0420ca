// Drives the options page as a user does: typing into its fields, clicking its buttons. Shared by
// the browser tests and the `npm start` walkthrough. Field ids follow the settings paths
// (`#f-partners-0-boxUrl`), see src/options/text.ts.
import type { Locator, Page } from 'playwright-core';
import type { Sandbox } from '../sandbox/index';
import type { ExtensionBrowser } from './chromium';

export interface BoxInput {
  url: string;
  login: string;
  password: string;
}

export interface OwnBoxInput extends BoxInput {
  companyName?: string;
}

export interface PartnerInput extends BoxInput {
  id?: string;
  name: string;
  assigneeEmail: string;
  workflowId: string;
  statusId?: string;
  fieldMap?: { from: string; to: string }[];
}

/** The demo's own box (Supplier A) and its partner (Buyer B), as a manager types them. */
export const demoOwnBox = (boxA: Sandbox): OwnBoxInput => ({ url: boxA.url, login: 'olena', password: 'olena-secret', companyName: boxA.name });

export const demoPartner = (boxB: Sandbox, extra: Partial<PartnerInput> = {}): PartnerInput => ({
  id: 'buyer-b',
  name: 'Buyer B',
  url: boxB.url,
  login: 'partner-sync',
  password: 'sync-secret',
  assigneeEmail: `ivan@${boxB.slug}.example`,
  workflowId: '12',
  ...extra,
});

export async function openOptions(browser: ExtensionBrowser, page?: Page): Promise<Page> {
  const target = page ?? (await browser.context.newPage());
  await target.goto(`chrome-extension://${browser.extensionId}/src/options/index.html`);
  await target.locator('[data-partner-sync="save-settings"]').waitFor();
  return target;
}

export const field = (page: Page, path: string): Locator => page.locator(`#f-${path.replaceAll('.', '-')}`);

export async function fillOwnBox(page: Page, box: OwnBoxInput): Promise<void> {
  await field(page, 'ownBox.url').fill(box.url);
  await field(page, 'ownBox.login').fill(box.login);
  await field(page, 'ownBox.restApiPassword').fill(box.password);
  if (box.companyName !== undefined) await field(page, 'ownBox.companyName').fill(box.companyName);
}

/** Adds a partner at the end of the list and fills it in; returns its index. */
export async function addPartner(page: Page, partner: PartnerInput): Promise<number> {
  const index = await page.locator('fieldset.partner').count();
  await page.getByRole('button', { name: /^(Add partner|Додати партнера|Добавить партнёра)$/ }).click();
  const at = (name: string) => field(page, `partners.${index}.${name}`);
  if (partner.id !== undefined) await at('id').fill(partner.id);
  await at('name').fill(partner.name);
  await at('boxUrl').fill(partner.url);
  await at('login').fill(partner.login);
  await at('restApiPassword').fill(partner.password);
  await at('assigneeEmail').fill(partner.assigneeEmail);
  await at('workflowId').fill(partner.workflowId);
  if (partner.statusId !== undefined) await at('statusId').fill(partner.statusId);
  const card = page.locator('fieldset.partner').nth(index);
  for (const [row, mapping] of (partner.fieldMap ?? []).entries()) {
    await card.getByRole('button', { name: /^(Add field|Додати поле|Добавить поле)$/ }).click();
    await field(page, `partners.${index}.fieldMap.${row}.from`).fill(mapping.from);
    await field(page, `partners.${index}.fieldMap.${row}.to`).fill(mapping.to);
  }
  return index;
}

/** Clicks "Test connection" in a box's card and waits for the box's answer; returns the result. */
export async function testConnection(card: Locator): Promise<Locator> {
  await card.getByRole('button', { name: /^(Test connection|Перевірити з'єднання|Проверить соединение)$/ }).click();
  const result = card.locator('.connection-result');
  await result.locator('.checks, p.bad').first().waitFor({ timeout: 20_000 });
  return result;
}

export const ownBoxCard = (page: Page): Locator => page.locator('#own-box-title + p + .card');
export const partnerCard = (page: Page, index: number): Locator => page.locator('fieldset.partner').nth(index);

/** Clicks Save and waits for the page's answer: the saved notice or the error summary. */
export async function save(page: Page): Promise<'saved' | 'invalid'> {
  await page.locator('[data-partner-sync="save-settings"]').click();
  const saved = page.locator('.save-bar [role=status].good');
  const invalid = page.locator('.error-summary');
  await saved.or(invalid).first().waitFor();
  return (await invalid.count()) > 0 ? 'invalid' : 'saved';
}

/** The settings as stored in `storage.local`, read from the options page (a trusted context). */
export async function storedSettings(page: Page): Promise<unknown> {
  return page.evaluate(async () => (await chrome.storage.local.get('settings')).settings);
}
