// Send to partner, end to end: the built extension in Chromium, two sandbox boxes on loopback.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { barrier } from '../support/barrier';
import { openOrder as openOrderPage, useSyncWorld, workerStore, writeSettings } from './setup';
import { apiCall, demoSettings, newOrderInBoxA as newOrder, tokenFor } from '../support/boxes';

const world = useSyncWorld();

const openOrder = (orderId: string) => openOrderPage(world, orderId);
const newOrderInBoxA = (name: string) => newOrder(world, name);
const boxAToken = () => tokenFor(world.boxA.url, 'olena', 'olena-secret');

async function sendViaPreview(page: Page): Promise<void> {
  await page.locator('[data-partner-sync=send]').click();
  await page.locator('[data-partner-sync=confirm-send]').click();
}

const processesFor = (orderId: string) =>
  world.boxB.state.orders.filter((o) => o.externalid.endsWith(`:${orderId}`));

describe('send to partner', () => {
  it('previews, then creates one process with the process, start stage, assignee and mapped fields', async () => {
    const settings = demoSettings(world);
    settings.partners[0]!.fieldMap = [{ from: 'deadline', to: 'partner_deadline' }, { from: 'delivery_terms', to: 'delivery_terms' }];
    await writeSettings(world, settings);
    const page = await openOrder('101');
    await page.locator('[data-partner-sync=send]').click();
    const preview = page.locator('[data-partner-sync=preview]');
    await expect.poll(() => preview.textContent()).toContain('Ivan Petrenko');
    const text = (await preview.textContent()) ?? '';
    expect(text).toContain('Orders from partners');
    expect(text).toContain('New');
    // The sandbox seeds deadlines relative to its day: read it, so the test holds on any date.
    const deadline = world.boxA.state.orders.find((o) => o.id === '101')!.customfields.deadline!;
    expect(deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(text).toContain(deadline);
    expect(processesFor('101')).toHaveLength(0);

    await page.locator('[data-partner-sync=confirm-send]').click();
    const link = page.locator('[data-partner-sync=link][data-state=linked]');
    await expect.poll(() => link.getAttribute('data-remote-id'), { timeout: 15_000 }).toMatch(/^\d+$/);
    const [created] = processesFor('101');
    expect(processesFor('101')).toHaveLength(1);
    expect(await link.getAttribute('data-remote-id')).toBe(created!.id);
    expect(created).toMatchObject({ workflowid: '12', statusid: '56', managerid: '2', name: 'Steel brackets, 500 pcs' });
    expect(created!.customfields).toMatchObject({ partner_deadline: deadline, delivery_terms: 'DAP' });
    expect(await link.locator('a').getAttribute('href')).toBe(`${world.boxB.url}/${created!.id}/`);
    await page.close();
  });

  it('uses the stage the settings name, and copies the client when asked, without duplicating contacts', async () => {
    const settings = demoSettings(world);
    settings.partners[0] = { ...settings.partners[0]!, statusId: 57, syncClient: true };
    await writeSettings(world, settings);
    // A client the partner's box has never seen, on two orders.
    const token = await boxAToken();
    const email = `maria.${Date.now()}@client.example`;
    const [clientId] = (await apiCall(world.boxA.url, 'contact/set', [{ name: 'Марія', namelast: 'Коваль', typesex: 'person', emails: [email] }], token)) as string[];
    const orders = [];
    for (const name of ['Client test 1', 'Client test 2']) {
      const [id] = (await apiCall(world.boxA.url, 'order/set', [{ name, workflowid: 3, statusid: 8, client: { userid: clientId } }], token)) as string[];
      orders.push(String(id));
    }
    for (const orderId of orders) {
      const page = await openOrder(orderId);
      await sendViaPreview(page);
      await expect.poll(() => processesFor(orderId).length, { timeout: 15_000 }).toBe(1);
      await page.close();
    }
    const created = orders.map((id) => processesFor(id)[0]!);
    expect(created.map((p) => p.statusid)).toEqual(['57', '57']);
    const copies = world.boxB.state.contacts.filter((c) => c.emails.includes(email));
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ name: 'Марія', namelast: 'Коваль' });
    expect(created.map((p) => p.clientid)).toEqual([copies[0]!.id, copies[0]!.id]);
  });

  it('says on the page and in the popup when the partner box dropped the assignee; the link works', async () => {
    world.boxB.quirks.dropsManager = true;
    const orderId = await newOrderInBoxA('Unassigned at the partner');
    const page = await openOrder(orderId);
    await sendViaPreview(page);
    const notice = page.locator('[data-partner-sync=link][data-state=linked] [data-partner-sync=notice]');
    await expect.poll(() => notice.textContent(), { timeout: 15_000 }).toContain('did not assign it to the employee');
    expect(await notice.textContent()).toContain('managerid — ≠ 2 (ivan@buyer-b.example)');
    expect(processesFor(orderId).map((p) => p.managerid)).toEqual(['']);
    const popup = await world.browser.context.newPage();
    await popup.goto(`chrome-extension://${world.browser.extensionId}/src/popup/index.html`);
    const entry = popup.locator(`[data-partner-sync=popup-link][data-link-id="buyer-b|${orderId}"]`);
    await expect.poll(() => entry.locator('[data-partner-sync=popup-notice]').textContent()).toContain('did not assign it');
    await popup.close();
    await page.close();
  });

  it('shows the link as sending at once, and linked when the partner box has answered', async () => {
    world.boxB.quirks.latencyMs = 1_500;
    const orderId = await newOrderInBoxA('Progress test');
    const page = await openOrder(orderId);
    await sendViaPreview(page);
    const link = page.locator('[data-partner-sync=link]');
    await expect.poll(() => link.getAttribute('data-state'), { timeout: 1_000 }).toBe('sending');
    expect(processesFor(orderId)).toHaveLength(0);
    await expect.poll(() => link.getAttribute('data-state'), { timeout: 15_000 }).toBe('linked');
    expect(processesFor(orderId)).toHaveLength(1);
    await page.close();
  });

  it('a double click and a second tab give exactly one process', async () => {
    const first = await openOrder('104');
    const second = await openOrder('104');
    await first.locator('[data-partner-sync=send]').click();
    await second.locator('[data-partner-sync=send]').click();
    const confirms = [first, second].map((p) => p.locator('[data-partner-sync=confirm-send]'));
    await Promise.all(confirms.map((c) => c.waitFor()));
    await Promise.all([confirms[0]!.dblclick(), confirms[1]!.click()]);
    await expect.poll(() => first.locator('[data-partner-sync=link][data-state=linked]').count(), { timeout: 15_000 }).toBe(1);
    await second.reload();
    await expect.poll(() => second.locator('[data-partner-sync=link][data-state=linked]').count(), { timeout: 15_000 }).toBe(1);
    expect(processesFor('104')).toHaveLength(1);
    await Promise.all([first.close(), second.close()]);
  });

  it('commit-then-drop on the partner box still gives one process', async () => {
    world.boxB.faults.commitThenDropNextWrite();
    const page = await openOrder('105');
    await sendViaPreview(page);
    await expect.poll(() => page.locator('[data-partner-sync=link][data-state=linked]').count(), { timeout: 30_000 }).toBe(1);
    expect(processesFor('105')).toHaveLength(1);
    expect(world.boxB.log.filter((c) => c.action === 'set' && c.entity === 'order').length).toBeGreaterThanOrEqual(2);
    await page.close();
  });

  it('a reload and a stopped worker during the send still give one process', async () => {
    world.boxB.quirks.latencyMs = 1_500;
    const orderId = await newOrderInBoxA('Reload test');
    const page = await openOrder(orderId);
    const before = world.boxB.log.length;
    await sendViaPreview(page);
    // The worker stops while box B holds the process write, before it answers.
    await expect.poll(() => world.boxB.log.slice(before).some((call) => call.entity === 'order' && call.action === 'set'), { timeout: 20_000 }).toBe(true);
    await world.browser.stopWorker();
    await page.reload();
    world.boxB.quirks.latencyMs = 0;
    await expect.poll(async () => {
      await page.reload();
      return page.locator('[data-partner-sync=link][data-state=linked]').count();
    }, { timeout: 40_000, interval: 1_000 }).toBe(1);
    expect(processesFor(orderId)).toHaveLength(1);
    await page.close();
  });

  it.each([
    ['a wrong assignee email', { assigneeEmail: 'nobody@buyer-b.example' }, /nobody@buyer-b\.example/],
    ['an unknown stage', { statusId: 8 }, /stage/i],
  ])('%s says why on the page before anything is sent, and a retry after fixing the settings works', async (_case, wrong, said) => {
    const settings = demoSettings(world);
    settings.partners[0] = { ...settings.partners[0]!, ...wrong };
    await writeSettings(world, settings);
    const orderId = await newOrderInBoxA(`Wrong settings: ${_case}`);
    const page = await openOrder(orderId);
    await page.locator('[data-partner-sync=send]').click();
    const error = page.locator('[data-partner-sync=error]');
    await expect.poll(() => error.textContent()).toMatch(said);
    expect(processesFor(orderId)).toHaveLength(0);

    await writeSettings(world, demoSettings(world));
    await error.locator('[data-partner-sync=retry]').click();
    await page.locator('[data-partner-sync=confirm-send]').click();
    await expect.poll(() => processesFor(orderId).length, { timeout: 15_000 }).toBe(1);
    await page.close();
  });
});

describe('controls a script of the box page presses', () => {
  it('do nothing: send, confirm, stop syncing and the pictogram answer only the user', async () => {
    const page = await openOrder(await newOrderInBoxA('Script clicks'));
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => dialogs.push(dialog.message()));
    // A script's click() is dispatched at once: had a handler run, its effect would show on return.
    const scriptClick = (role: string) => page.locator(`[data-partner-sync=${role}]`).first().evaluate((element: HTMLElement) => element.click());
    await scriptClick('send');
    expect(await page.locator('[data-partner-sync=preview]').count()).toBe(0);
    await page.locator('[data-partner-sync=send]').click();
    const confirm = page.locator('[data-partner-sync=confirm-send]');
    await confirm.waitFor();
    await scriptClick('confirm-send');
    expect(await confirm.isDisabled()).toBe(false);
    expect(await page.locator('[data-partner-sync=link]').count()).toBe(0);

    await confirm.click();
    await page.locator('[data-partner-sync=link][data-state=linked]').waitFor({ timeout: 15_000 });
    // The pictogram comes with the link.
    const toggle = page.locator('[data-partner-sync=share-toggle]');
    const pressed = await toggle.getAttribute('aria-pressed');
    await scriptClick('share-toggle');
    expect(await toggle.getAttribute('aria-pressed')).toBe(pressed);
    await scriptClick('unlink');
    expect(dialogs).toEqual([]);
    expect(await page.locator('[data-partner-sync=link][data-state=linked]').count()).toBe(1);
    await page.close();
  });
});

describe('links', () => {
  it('one order goes to two partners, one link and one process each; stopping one keeps both processes', async () => {
    const settings = demoSettings(world);
    settings.partners.push({ ...settings.partners[0]!, id: 'buyer-b-sales', name: 'Buyer B Sales', workflowId: 3 });
    await writeSettings(world, settings);
    const orderId = await newOrderInBoxA('Two partners');
    const page = await openOrder(orderId);
    // With two partners to go the control offers a choice; with one left it goes straight on.
    for (const [partnerId, choose] of [['buyer-b', true], ['buyer-b-sales', false]] as const) {
      await page.locator('[data-partner-sync=send]').click();
      expect(await page.locator('[data-partner-sync=partner-choice]').count()).toBe(choose ? 2 : 0);
      if (choose) await page.locator(`[data-partner-sync=partner-choice][data-partner-id="${partnerId}"]`).click();
      await page.locator('[data-partner-sync=confirm-send]').click();
      await page.locator(`[data-partner-sync=link][data-partner-id="${partnerId}"][data-state=linked]`).waitFor({ timeout: 15_000 });
    }
    const processes = processesFor(orderId);
    expect(processes.map((p) => p.workflowid).sort()).toEqual(['12', '3']);
    expect(await page.locator('[data-partner-sync=send]').count()).toBe(0);

    await page.locator('[data-partner-sync=link][data-partner-id="buyer-b-sales"] [data-partner-sync=unlink]').click();
    await page.locator('[data-partner-sync=link][data-partner-id="buyer-b-sales"][data-state=unlinked]').waitFor();
    expect(processesFor(orderId)).toHaveLength(2);
    await page.close();
  });

  it('the auto-send rule sends an order that reaches its stage, once', async () => {
    const orderId = await newOrderInBoxA('Auto-send');
    const token = await boxAToken();
    await apiCall(world.boxA.url, 'order/set', [{ orderid: Number(orderId), statusid: 10 }], token);
    // A rule is checked as soon as it is saved, then once a minute on its own turn.
    const settings = demoSettings(world);
    settings.partners[0]!.autoSend = { workflowId: 3, statusId: 10 };
    await writeSettings(world, settings);
    const worker = await world.browser.worker();
    const fireAlarm = () => worker.evaluate(() => chrome.alarms.create('sync', { when: Date.now() + 50 }));
    await fireAlarm();
    await expect.poll(() => processesFor(orderId).length, { timeout: 15_000 }).toBe(1);
    const page = await openOrder(orderId);
    const link = page.locator('[data-partner-sync=link][data-state=linked]');
    await link.waitFor({ timeout: 10_000 });
    // The rule's next turn, brought forward: the order still stands in the stage.
    const turnTaken = async () => (await workerStore<{ key: string }>(world, 'meta')).some((record) => record.key === 'auto-send');
    expect(await turnTaken()).toBe(true);
    await workerStore(world, 'meta', 'auto-send');
    await fireAlarm();
    await expect.poll(turnTaken, { timeout: 10_000 }).toBe(true);
    // A barrier read in a later pass: whatever that turn queued has run by the time it arrives.
    await barrier(world, { localId: orderId, remoteId: (await link.getAttribute('data-remote-id'))! });
    const processWrites = world.boxB.log.filter((call) => call.entity === 'order' && call.action === 'set' && JSON.stringify(call.body).includes(`:${orderId}"`));
    expect(processWrites).toHaveLength(1);
    expect(processesFor(orderId)).toHaveLength(1);
    await page.close();
  });
});
