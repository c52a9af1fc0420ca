// The worker's handlers on a real (fake-IndexedDB) database: "Retry" beside a comment touches
// that comment only, the actions that start a sync answer before the sync has run, and what an
// order page lacks reaches the popup per tab and goes when it is fixed.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SyncContext } from '../../src/sync/context';
import { linkId, openSyncDb, type LinkRecord, type OutboxJob } from '../../src/sync/db';
import { demoSettings } from '../support/boxes';

const badge = vi.fn();
const session = new Map<string, unknown>();
vi.mock('../../src/platform/browser-api', () => ({
  uiLanguage: () => 'en',
  badge: { set: (...args: unknown[]) => badge(...args) },
  sessionStore: {
    get: async (keys: string | string[] | null) => Object.fromEntries([...session].filter(([key]) => keys === null || [keys].flat().includes(key))),
    set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([key, value]) => session.set(key, value)),
    remove: async (key: string) => void session.delete(key),
  },
}));

let ctx: SyncContext;
// A sync pass that never ends: a handler that waited for it would never answer.
const runSync = vi.fn(() => new Promise<void>(() => {}));
vi.mock('../../src/background/sync-service', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/background/sync-service')>()),
  syncContext: async () => ctx,
  runSync: () => runSync(),
}));

const { commentHandlers } = await import('../../src/background/handlers/comment');
const { orderHandlers } = await import('../../src/background/handlers/order');
const { popupHandlers } = await import('../../src/background/handlers/popup');
const { pageHandlers } = await import('../../src/background/handlers/page');

const NOW = 1_000_000;
const pageOf = (orderId: string, tabId = 1) => ({ id: 'our-extension', url: `https://a.1b.app/${orderId}/`, tab: { id: tabId } }) as never;
const popup = { id: 'our-extension', url: 'chrome-extension://our-extension/src/popup/index.html' } as never;
const parked = { state: 'parked', attempts: 1, notBefore: 0, createdAt: 0, error: { kind: 'config', messageKey: 'error_config', at: 1 } } as const;

function commentJob(link: string, kind: 'comment-out' | 'comment-in', sourceId: string): OutboxJob {
  return { ...parked, kind, linkId: link, lane: `${link}|${kind === 'comment-out' ? 'out' : 'in'}`, sourceId, text: sourceId, sourceText: sourceId };
}

function linked(partnerId: string, orderId: string): LinkRecord {
  return { id: linkId(partnerId, orderId), partnerId, localOrderId: orderId, externalId: `x:${orderId}`, state: 'linked', remoteOrderId: '9', createdAt: 0, origin: 'click', nextPollAt: NOW + 60_000 };
}

let databases = 0;
beforeEach(async () => {
  const settings = demoSettings({ boxA: { url: 'https://a.1b.app' }, boxB: { url: 'https://b.1b.app', slug: 'b' } } as never);
  settings.partners.push({ ...settings.partners[0]!, id: 'buyer-c', name: 'Buyer C' });
  ctx = {
    db: await openSyncDb(`handlers-${++databases}`),
    settings,
    clientFor: () => {
      throw new Error('no box is asked in these tests');
    },
    now: () => NOW,
  };
  runSync.mockClear();
  badge.mockClear();
  session.clear();
});

describe('comment/retry', () => {
  it('puts back in line that comment’s copy to every partner, and nothing else', async () => {
    for (const link of [linked('buyer-b', '101'), linked('buyer-c', '101'), linked('buyer-b', '102')]) await ctx.db.put('links', link);
    const jobs = {
      toB: commentJob('buyer-b|101', 'comment-out', '7'),
      toC: commentJob('buyer-c|101', 'comment-out', '7'),
      // The partner's comment 7 (ids of the other box), another comment, another order's comment.
      fromB: commentJob('buyer-b|101', 'comment-in', '7'),
      other: commentJob('buyer-c|101', 'comment-out', '8'),
      otherOrder: commentJob('buyer-b|102', 'comment-out', '7'),
    };
    const seqs = Object.fromEntries(await Promise.all(Object.entries(jobs).map(async ([name, job]) => [name, await ctx.db.add('outbox', job)])));

    expect(await commentHandlers['comment/retry']({ commentId: '7' }, pageOf('101'))).toBeNull();

    const stateOf = async (name: string) => (await ctx.db.get('outbox', seqs[name]!))?.state;
    expect(await Promise.all(Object.keys(jobs).map(async (name) => [name, await stateOf(name)]))).toEqual([
      ['toB', 'pending'],
      ['toC', 'pending'],
      ['fromB', 'parked'],
      ['other', 'parked'],
      ['otherOrder', 'parked'],
    ]);
    expect(runSync).toHaveBeenCalledTimes(1);
  });
});

describe('actions that start a sync', () => {
  it('"Send to partner" answers at once: the link is sending while the sync runs', async () => {
    const view = await orderHandlers['order/send']({ partnerId: 'buyer-b' }, pageOf('101'));
    expect(view).toMatchObject({ partnerId: 'buyer-b', state: 'sending' });
    expect(view.problem).toBeUndefined();
    expect(runSync).toHaveBeenCalledTimes(1);
  });

  it('the page’s "Retry" answers at once with the problem as being retried', async () => {
    await ctx.db.put('links', { ...linked('buyer-b', '101'), state: 'sending' });
    await ctx.db.add('outbox', { ...parked, kind: 'send-order', linkId: 'buyer-b|101', lane: 'buyer-b|101' });
    const view = await orderHandlers['order/retry']({ partnerId: 'buyer-b' }, pageOf('101'));
    expect(view).toMatchObject({ state: 'sending', problem: { text: 'The box refused the data; check the settings.', retrying: true } });
    expect(runSync).toHaveBeenCalledTimes(1);
  });

  it('the popup’s "Retry" answers at once: nothing waits for the user any more, the badge says so, the poll is due', async () => {
    await ctx.db.put('links', linked('buyer-b', '101'));
    await ctx.db.add('outbox', commentJob('buyer-b|101', 'comment-out', '7'));
    const overview = await popupHandlers['popup/retry']({ linkId: 'buyer-b|101' }, popup);
    expect(overview.links[0]).toMatchObject({ failed: [], queued: 1 });
    expect(overview.totals).toMatchObject({ waiting: 0, checking: 1 });
    expect(badge).toHaveBeenLastCalledWith('', expect.any(String));
    expect(runSync).toHaveBeenCalledTimes(1);
  });

  it('"Sync now" answers at once, with every linked order still to be read', async () => {
    for (const link of [linked('buyer-b', '101'), linked('buyer-c', '101'), { ...linked('buyer-b', '102'), state: 'unlinked' as const }]) await ctx.db.put('links', link);
    const overview = await popupHandlers['popup/sync-now']({}, popup);
    expect(overview.totals).toMatchObject({ links: 2, checking: 2 });
    expect(runSync).toHaveBeenCalledTimes(1);
  });
});

describe('page/problems', () => {
  const shown = async () => (await popupHandlers['popup/overview']({}, popup)).pageProblems;

  it('shows what each open order page lacks, once per order, in the user’s words, until it is fixed or the page reloads', async () => {
    expect(await shown()).toEqual([]);
    await pageHandlers['page/problems']({ missing: ['composer', 'commentList'] }, pageOf('102', 1));
    await pageHandlers['page/problems']({ missing: ['commentList', 'orderHeader'] }, pageOf('102', 2));
    await pageHandlers['page/problems']({ missing: ['commentList'] }, pageOf('101', 3));
    const problems = await shown();
    expect(problems.map((p) => [p.localOrderId, p.localUrl, p.missing.map((m) => m.anchor)])).toEqual([
      ['101', 'https://a.1b.app/101/', ['commentList']],
      ['102', 'https://a.1b.app/102/', ['orderHeader', 'commentList', 'composer']],
    ]);
    expect(problems[0]!.missing[0]!.text).toBe('Comment marks are not available on this page: its comment list was not found.');
    // Tab 1 found its elements after all, tab 2 was reloaded: order 102 has nothing left.
    await pageHandlers['page/problems']({ missing: [] }, pageOf('102', 1));
    await pageHandlers['page/hello']({}, pageOf('102', 2));
    expect((await shown()).map((p) => p.localOrderId)).toEqual(['101']);
  });

  it('is taken only from an order page of the own box', async () => {
    const elsewhere = { id: 'our-extension', url: 'https://a.1b.app/admin/', tab: { id: 4 } } as never;
    await expect(pageHandlers['page/problems']({ missing: ['commentList'] }, elsewhere)).rejects.toMatchObject({ messageKey: 'error_not_order_page' });
    expect(await shown()).toEqual([]);
  });
});
