// The history of a linked order, end to end (the built extension in Chromium, two sandbox
// boxes): the walkthrough's events (the send, comments shared, kept private, filtered and
// received, a failure while the partner box is down and its retry, the partner's stage, a mapped
// field) each show on the order page and in the popup, and the page's CSV export lists them.
import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { linkedOrder, useSyncWorld, workerStore, writeSettings } from './setup';
import { barrier } from '../support/barrier';
import { apiCall, commentSetOf, demoSettings, tokenFor, writeThroughApi } from '../support/boxes';
import { PEOPLE } from '../support/engine';
import { writeComment } from '../support/order-page';
import { HISTORY_EVENTS } from '../../src/sync/history';

const world = useSyncWorld(2);

const eventsIn = (page: Page, scope: string) => page.locator(`${scope} [data-partner-sync=history-entry]`).evaluateAll(
  (entries) => entries.map((entry) => entry.getAttribute('data-event') ?? ''),
);
const kinds = (events: string[]) => [...new Set(events)].sort();

it('the history lists each event of the order on the page and in the popup, and exports as CSV', async () => {
  const settings = demoSettings(world);
  settings.partners[0]!.fieldMap = [{ from: 'deadline', to: 'partner_deadline' }];
  await writeSettings(world, settings);
  const { page, localId, remoteId } = await linkedOrder(world, 'History story');
  const link = { localId, remoteId };

  await writeComment(page, 'Shipping on Monday', true);
  // A colleague's comment not visible to the client: the filter keeps it (the user's own would follow the pictogram the page binds to it).
  const ivanInA = await tokenFor(world.boxA.url, 'ivan', 'ivan-secret');
  await apiCall(world.boxA.url, commentSetOf(world.boxA), [{ orderid: Number(localId), content: 'For our team only', clientvisible: 0 }], ivanInA);
  await writeThroughApi(world, 'B', remoteId, 'Thank you');
  await writeThroughApi(world, 'B', remoteId, 'Buyer-side note', 0);
  // Decided before the pictogram goes off (the user's comment follows the pictogram as it last stood).
  await barrier(world, link);
  await writeComment(page, 'Our margin is 30%', false);

  // The partner box is down when the next comment goes: it fails, waits, and is tried again.
  world.boxB.faults.down();
  await writeComment(page, 'Delivery moved to Tuesday', true);
  const tried = async () => (await workerStore<{ kind: string; attempts: number }>(world, 'outbox')).some((job) => job.kind === 'comment-out' && job.attempts > 0);
  await expect.poll(tried, { timeout: 20_000 }).toBe(true);
  world.boxB.faults.up();
  await expect.poll(() => world.comments('B', remoteId).some((c) => c.content.endsWith('Delivery moved to Tuesday')), { timeout: 30_000 }).toBe(true);

  const asB = await tokenFor(world.boxB.url, PEOPLE.B.login, PEOPLE.B.password);
  await apiCall(world.boxB.url, 'order/set', [{ orderid: Number(remoteId), statusid: 57 }], asB);
  const asA = await tokenFor(world.boxA.url, PEOPLE.A.login, PEOPLE.A.password);
  await apiCall(world.boxA.url, 'order/set', [{ orderid: Number(localId), customfields: { deadline: '2026-12-24' } }], asA);
  await expect.poll(() => page.locator('[data-partner-sync=link]').getAttribute('data-remote-status-id'), { timeout: 15_000 }).toBe('57');
  await expect.poll(() => world.boxB.state.orders.find((o) => o.id === remoteId)?.customfields.partner_deadline, { timeout: 15_000 }).toBe('2026-12-24');

  // The page: every kind of event, each entry with its time.
  await page.locator('[data-partner-sync=history]').click();
  await expect.poll(async () => kinds(await eventsIn(page, '')), { timeout: 15_000 }).toEqual([...HISTORY_EVENTS].sort());
  const stage = page.locator('[data-partner-sync=history-entry][data-event=stage-changed]');
  expect(await stage.textContent()).toContain('Buyer B’s process moved to the stage “In progress”');
  const sentences = async (event: string) => page.locator(`[data-partner-sync=history-entry][data-event=${event}]`).allTextContents();
  expect(await sentences('comment-private')).toEqual([expect.stringContaining('Comment kept private: “Our margin is 30%”')]);
  expect(await sentences('comment-filtered')).toEqual(expect.arrayContaining([
    expect.stringContaining('Comment not sent, as it is not visible to the client (the partner gets only those): “For our team only”'),
    expect.stringContaining('Comment from Buyer B not copied, as it is not visible to the client: “Buyer-side note”'),
  ]));
  expect(await sentences('failed')).toEqual(expect.arrayContaining([expect.stringMatching(/Comment to the partner failed: Could not reach the box; check the connection\. Next try at .+\./)]));
  expect(await sentences('retried')).toEqual(expect.arrayContaining([expect.stringContaining('Comment to the partner: tried again (attempt 2)')]));
  expect(await page.locator('[data-partner-sync=history-entry] time').first().getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);

  // Its CSV: a header and one row per entry shown, with the byte order mark spreadsheets need.
  const shown = await eventsIn(page, '');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-partner-sync=history-export]').click()]);
  expect(download.suggestedFilename()).toBe(`partner-sync-history-order-${localId}.csv`);
  const csv = await readFile((await download.path())!);
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const rows = csv.toString('utf8').slice(1).split('\r\n').filter(Boolean);
  expect(rows[0]).toBe('Time (UTC),Local time,Order,Partner,Event,What happened,The box’s own words');
  expect(rows.slice(1).map((row) => row.split(',').find((cell) => (HISTORY_EVENTS as readonly string[]).includes(cell)))).toEqual([...shown].reverse());

  // The popup: the same link's history.
  const popup = await world.browser.context.newPage();
  await popup.goto(`chrome-extension://${world.browser.extensionId}/src/popup/index.html`);
  const item = `[data-partner-sync=popup-link][data-link-id="buyer-b|${localId}"]`;
  await popup.locator(`${item} [data-partner-sync=popup-history]`).click();
  await expect.poll(async () => kinds(await eventsIn(popup, item)), { timeout: 15_000 }).toEqual([...HISTORY_EVENTS].sort());
  await popup.close();
  await page.close();
});
