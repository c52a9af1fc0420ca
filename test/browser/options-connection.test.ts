// "Test connection" on the options page against sandbox boxes: the right password, a wrong one,
// a stopped box, an unknown process, a box of the other read dialect, and picking processes and
// stages from the box's lists.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { addPartner, demoOwnBox, demoPartner, field, fillOwnBox, openOptions, ownBoxCard, partnerCard, save, storedSettings, testConnection as runTest } from '../support/options-page';
import { startWorld, type World } from './setup';

let world: World;
let page: Page;

/** Runs "Test connection" in a card and returns each check's line, keyed by call. */
async function testConnection(card: Locator): Promise<Record<string, { state: string | null; text: string }>> {
  const result = await runTest(card);
  const lines: Record<string, { state: string | null; text: string }> = {};
  for (const line of await result.locator('li[data-check]').all()) {
    lines[(await line.getAttribute('data-check'))!] = { state: await line.getAttribute('data-state'), text: (await line.textContent())!.replace(/^[✓✗] /, '') };
  }
  return lines;
}

/** What discovery found, as the card lists it, keyed by capability. */
async function dialectLines(card: Locator): Promise<Record<string, string>> {
  const lines: Record<string, string> = {};
  for (const line of await card.locator('.connection-result li[data-capability]').all()) {
    lines[(await line.getAttribute('data-capability'))!] = `${await line.getAttribute('data-state')}: ${await line.textContent()}`;
  }
  return lines;
}

beforeAll(async () => {
  world = await startWorld();
  page = await openOptions(world.browser);
  await fillOwnBox(page, demoOwnBox(world.boxA));
  await addPartner(page, demoPartner(world.boxB, { statusId: '57' }));
});
beforeEach(() => {
  world.boxB.faults.reset();
});
afterAll(async () => {
  await world?.close();
});

describe('"Test connection"', () => {
  it('with the right password checks every call the partner settings rely on, and finds the assignee', async () => {
    const before = world.boxB.log.length;
    const checks = await testConnection(partnerCard(page, 0));
    expect(checks).toEqual({
      token: { state: 'ok', text: 'token/get (documented): ok' },
      workflows: { state: 'ok', text: 'workflow/get (documented): ok' },
      statuses: { state: 'ok', text: 'status/get (assumed): ok' },
      employee: { state: 'ok', text: 'contact/get (assumed): ok' },
      order: { state: 'ok', text: 'order/get (documented): ok' },
      comments: { state: 'ok', text: 'comment/get (assumed): ok' },
    });
    const result = partnerCard(page, 0).locator('.connection-result');
    expect(await result.locator('p').first().textContent()).toBe(`6 of 6 checks passed on ${world.boxB.url}.`);
    expect(await result.locator('p', { hasText: 'Assignee:' }).textContent()).toBe('Assignee: Ivan Petrenko (employee id 2).');
    expect(await dialectLines(partnerCard(page, 0))).toMatchObject({
      readShape: 'works: Filters: works with {"filter": {...}}',
      commentsRead: 'works: Comments, reading: works with comment/get',
      commentsWrite: 'works: Comments, writing: assumed comment/set (not tried: allow a test write to check it; the name follows the read)',
      employee: 'works: Employee by email: works with employee',
      assignee: 'unchecked: Assignee (managerid): not checked: that takes a test write and the assignee\'s email; each send reads the assignee back and says when the box dropped it.',
    });
    expect(await result.getAttribute('aria-live')).toBe('polite');
    // The box was asked, and nothing was written into it.
    const calls = world.boxB.log.slice(before);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((call) => call.action === 'set')).toEqual([]);
  });

  it('on a box of the top-level dialect lists what discovery found, and checks each call in that dialect', async () => {
    world.boxB.quirks.dialect = 'top-level';
    try {
      const before = world.boxB.log.length;
      const checks = await testConnection(partnerCard(page, 0));
      expect(Object.values(checks).every((check) => check.state === 'ok')).toBe(true);
      expect(checks.comments?.text).toBe('order/comments/get (assumed): ok');
      expect(await dialectLines(partnerCard(page, 0))).toEqual({
        readShape: 'works: Filters: works with top-level filter keys',
        sort: 'works: Sorting: works with "orderby":"DESC","orderfields":["id"]',
        commentsRead: 'works: Comments, reading: works with order/comments/get',
        commentsBatch: 'works: Comments of many orders in one read: works with orderid: [...]',
        commentsWrite: 'works: Comments, writing: assumed order/comments/set (not tried: allow a test write to check it; the name follows the read)',
        employee: 'works: Employee by email: works with employer + level',
        assignee: expect.stringMatching(/^unchecked: Assignee/),
        udateRead: 'works: Change date (udate): works with udate',
        udateSort: 'works: Sorting by change date (udate): works with "orderby":"DESC","orderfields":["udate"]',
        changes: 'works: Finding changed orders: works with order/comments/get orderid: [...]',
      });
      expect(world.boxB.log.slice(before).filter((call) => call.action === 'set')).toEqual([]);
      // A box that applies no filter at all: each line says what will not work.
      world.boxB.quirks.ignoreFilters = true;
      await testConnection(partnerCard(page, 0));
      expect(await dialectLines(partnerCard(page, 0))).toMatchObject({
        readShape: 'missing: Filters: the box applied no filter in any known way: nothing can be read from it safely, so neither sending nor comment sync will work.',
        commentsRead: 'missing: Comments, reading: neither comment/get nor order/comments/get answered as asked: this box\'s comments will not be synced.',
        commentsBatch: expect.stringMatching(/^missing: Comments of many orders in one read: the box does not answer a list of orders/),
        commentsWrite: 'missing: Comments, writing: no comment call that works was found (for reading or writing): comments cannot be copied into this box.',
      });
    } finally {
      world.boxB.quirks.dialect = 'wrapped';
      world.boxB.quirks.ignoreFilters = false;
      // The tests below pick from the lists of a box that answers as asked.
      await testConnection(partnerCard(page, 0));
    }
  });

  it('with a test write allowed writes the one test process and a private comment, and says what worked', async () => {
    const card = partnerCard(page, 0);
    const testWrite = card.getByRole('checkbox', { name: /Also try writing/ });
    for (const dialect of ['wrapped', 'top-level'] as const) {
      world.boxB.quirks.dialect = dialect;
      try {
        await testWrite.check();
        await testConnection(card);
        const write = dialect === 'wrapped' ? 'comment/set' : 'order/comments/set';
        expect(await dialectLines(card)).toMatchObject({
          commentsWrite: `works: Comments, writing: works with ${write}`,
          assignee: 'works: Assignee (managerid): works with managerid',
        });
      } finally {
        world.boxB.quirks.dialect = 'wrapped';
      }
    }
    // One process, in the partner's stage, assigned, whatever the number of tests.
    const processes = world.boxB.state.orders.filter((order) => order.externalid === 'partner-sync:connection-test');
    expect(processes.map((p) => [p.workflowid, p.statusid, p.managerid])).toEqual([['12', '57', '2']]);
    expect(world.boxB.state.comments.filter((c) => c.orderid === processes[0]!.id).map((c) => String(c.clientvisible))).toEqual(['0', '0']);
    // The choice is not kept: the next test only reads.
    await testWrite.uncheck();
    const before = world.boxB.log.length;
    await testConnection(card);
    expect(world.boxB.log.slice(before).filter((call) => call.action === 'set')).toEqual([]);
  });

  it('lets the user pick the partner\'s process and stage by name, or keep typing ids', async () => {
    const card = partnerCard(page, 0);
    const processes = card.getByRole('combobox', { name: 'Business process id: pick from the box' });
    expect(await processes.locator('option').allTextContents()).toEqual(['— pick from the box —', 'Sales (3)', 'Orders from partners (12)']);
    expect(await processes.inputValue()).toBe('12');
    const stages = card.getByRole('combobox', { name: 'Stage id: pick from the box' });
    expect(await stages.locator('option').allTextContents()).toEqual(['Start stage of the process', 'New (56, start stage)', 'In progress (57)', 'Done (58)']);
    await stages.selectOption({ label: 'Done (58)' });
    expect(await field(page, 'partners.0.statusId').inputValue()).toBe('58');
    await stages.selectOption({ label: 'Start stage of the process' });
    expect(await field(page, 'partners.0.statusId').inputValue()).toBe('');
    // A typed id that the box lists shows in the list too.
    await field(page, 'partners.0.statusId').fill('57');
    expect(await stages.inputValue()).toBe('57');
  });

  it('lists the own box\'s processes for the auto-send rule', async () => {
    expect(await testConnection(ownBoxCard(page))).toMatchObject({ token: { state: 'ok' }, workflows: { state: 'ok' }, order: { state: 'ok' }, comments: { state: 'ok' } });
    await page.getByLabel('Send orders to this partner by themselves').check();
    const card = partnerCard(page, 0);
    await card.getByRole('combobox', { name: 'Your business process id: pick from the box' }).selectOption({ label: 'Sales (3)' });
    await card.getByRole('combobox', { name: 'Your stage id: pick from the box' }).selectOption({ label: 'Ready to ship (9)' });
    expect(await save(page)).toBe('saved');
    expect(await storedSettings(page)).toMatchObject({ partners: [{ workflowId: 12, statusId: 57, autoSend: { workflowId: 3, statusId: 9 } }] });
  });

  it('with a wrong password says so with the box\'s own words, and skips the rest', async () => {
    await field(page, 'partners.0.restApiPassword').fill('wrong-secret');
    const checks = await testConnection(partnerCard(page, 0));
    expect(checks.token).toEqual({
      state: 'failed',
      text: 'token/get (documented): The box did not accept the login or REST API password. The box said: “Invalid login or restapipassword”',
    });
    for (const call of ['workflows', 'statuses', 'employee', 'order', 'comments']) {
      expect(checks[call]).toEqual({ state: 'failed', text: expect.stringContaining('Not checked: an earlier check failed.') });
    }
    expect(await partnerCard(page, 0).locator('.connection-result p').first().textContent()).toBe(`0 of 6 checks passed on ${world.boxB.url}.`);
    await field(page, 'partners.0.restApiPassword').fill('sync-secret');
  });

  it('with a stopped box says the box cannot be reached', async () => {
    world.boxB.faults.down();
    const checks = await testConnection(partnerCard(page, 0));
    expect(checks.token).toEqual({ state: 'failed', text: 'token/get (documented): Could not reach the box; check the connection.' });
    world.boxB.faults.up();
    expect(await testConnection(partnerCard(page, 0))).toMatchObject({ token: { state: 'ok' } });
  });

  it('says which setting the box does not know', async () => {
    await field(page, 'partners.0.workflowId').fill('99');
    await field(page, 'partners.0.assigneeEmail').fill('nobody@b.example');
    const checks = await testConnection(partnerCard(page, 0));
    expect(checks.workflows).toEqual({ state: 'failed', text: 'workflow/get (documented): This business process was not found in the box.' });
    expect(checks.employee).toEqual({ state: 'failed', text: 'contact/get (assumed): No employee with this email in the box.' });
  });

  it('asks for the box address, login and password first, at their fields', async () => {
    await page.getByRole('button', { name: 'Add partner' }).click();
    const card = page.locator('fieldset.partner').nth(1);
    const before = world.boxB.log.length;
    await card.getByRole('button', { name: 'Test connection' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-partners-1-boxUrl');
    expect(await card.locator('.field-error').allTextContents()).toEqual(['This field is required.', 'This field is required.', 'Enter the REST API password.']);
    // Only this partner's box fields: nothing else in the form is flagged yet.
    expect(await page.locator('.error-summary').count()).toBe(0);
    expect(world.boxB.log.length).toBe(before);
  });
});
