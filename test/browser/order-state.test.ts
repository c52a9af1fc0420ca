// After the send, end to end (the built extension in Chromium, two sandbox boxes): the partner
// moves its process to another stage and the open order page and the popup show it; a mapped
// field changed in the own order reaches the partner's field once, also with the partner box
// down for a while; the stage map moves the own order once, and nothing loops back.
import { expect, it } from 'vitest';
import { linkedOrder, useSyncWorld, workerStore, writeSettings } from './setup';
import { apiCall, demoSettings, tokenFor } from '../support/boxes';
import { PEOPLE } from '../support/engine';
import type { Sandbox } from '../sandbox/index';

const world = useSyncWorld();

async function change(box: Sandbox, side: keyof typeof PEOPLE, record: Record<string, unknown>): Promise<void> {
  await apiCall(box.url, 'order/set', [record], await tokenFor(box.url, PEOPLE[side].login, PEOPLE[side].password));
}

const orderIn = (box: Sandbox, id: string) => box.state.orders.find((order) => order.id === id)!;
/** The order/set calls that reached a box for one order, by its id (the send itself goes by externalid). */
const writesTo = (box: Sandbox, id: string) => box.log.filter((call) => call.entity === 'order' && call.action === 'set' && !call.fault
  && JSON.stringify(call.body).includes(`"orderid":${id}`)).length;
/** One state read of an open page (3 s), the page's refresh (3 s), and slack for a 2-core machine. */
const ONE_CYCLE_MS = 15_000;

/** Until the worker has read the order's state twice more: what it would write again, it has had the chance to. */
async function twoMoreStateReads(localId: string): Promise<void> {
  const readAt = async () => (await workerStore<{ id: string; stateReadAt?: number }>(world, 'links')).find((l) => l.id === `buyer-b|${localId}`)?.stateReadAt ?? 0;
  for (let read = 0; read < 2; read++) {
    const last = await readAt();
    await expect.poll(readAt, { timeout: ONE_CYCLE_MS }).toBeGreaterThan(last);
  }
}

it('the partner moves its process to another stage: the open page and the popup show the stage by name', async () => {
  const { page, localId, remoteId } = await linkedOrder(world, 'Stage story');
  const link = page.locator('[data-partner-sync=link]');
  // The stage the send chose, at once.
  await expect.poll(() => link.getAttribute('data-remote-status-id'), { timeout: ONE_CYCLE_MS }).toBe('56');
  const popup = await world.browser.context.newPage();
  await popup.goto(`chrome-extension://${world.browser.extensionId}/src/popup/index.html`);
  const popupStage = popup.locator(`[data-partner-sync=popup-link][data-link-id="buyer-b|${localId}"] [data-partner-sync=popup-remote-stage]`);

  await change(world.boxB, 'B', { orderid: Number(remoteId), statusid: 57 });
  await expect.poll(() => link.getAttribute('data-remote-status-id'), { timeout: ONE_CYCLE_MS }).toBe('57');
  expect(await link.textContent()).toContain('stage: In progress');
  await expect.poll(() => popupStage.getAttribute('data-remote-status-id'), { timeout: ONE_CYCLE_MS }).toBe('57');
  expect(await popupStage.textContent()).toContain('Partner’s stage: In progress');
  await popup.close();
  await page.close();
});

it('a mapped field changed in the own order reaches the partner’s field once, also with the partner box down for a while', async () => {
  const settings = demoSettings(world);
  settings.partners[0]!.fieldMap = [{ from: 'deadline', to: 'partner_deadline' }];
  await writeSettings(world, settings);
  const { page, localId, remoteId } = await linkedOrder(world, 'Field story');
  world.boxB.faults.down();
  await change(world.boxA, 'A', { orderid: Number(localId), customfields: { deadline: '2026-12-24' } });
  // Tried while the partner box is down, and waiting in the outbox for it.
  const tried = async () => (await workerStore<{ kind: string; attempts: number }>(world, 'outbox')).some((job) => job.kind === 'field-update' && job.attempts > 0);
  await expect.poll(tried, { timeout: ONE_CYCLE_MS }).toBe(true);
  expect(orderIn(world.boxB, remoteId).customfields.partner_deadline ?? '').toBe('');
  world.boxB.faults.up();
  await expect.poll(() => orderIn(world.boxB, remoteId).customfields.partner_deadline, { timeout: 30_000 }).toBe('2026-12-24');
  await twoMoreStateReads(localId);
  expect(writesTo(world.boxB, remoteId)).toBe(1);
  await page.close();
});

it('the stage map moves the own order once when the partner reaches the stage, and nothing loops back', async () => {
  const settings = demoSettings(world);
  settings.partners[0]!.stageMap = [{ from: 58, to: 10 }];
  await writeSettings(world, settings);
  const { page, localId, remoteId } = await linkedOrder(world, 'Stage map story');
  const before = orderIn(world.boxA, localId).statusid;
  await change(world.boxB, 'B', { orderid: Number(remoteId), statusid: 58 });
  await expect.poll(() => orderIn(world.boxA, localId).statusid, { timeout: ONE_CYCLE_MS }).toBe('10');
  expect(before).not.toBe('10');
  await twoMoreStateReads(localId);
  expect(writesTo(world.boxA, localId)).toBe(1);
  // Only the partner's own move reached its process: the own order's move did not go back.
  expect(writesTo(world.boxB, remoteId)).toBe(1);
  await page.close();
});
