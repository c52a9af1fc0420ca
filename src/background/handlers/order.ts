// What the content script on an order page asks about the order's links: their state, a preview
// of a send, and the manager's send / retry / unlink. The order is always the one in the
// sender's address. Send and retry queue the work and answer at once; the page polls for the rest.
// The history covers the order's links with every partner.
import { linkId } from '../../sync/db';
import { ownBoxOf, partnerOf } from '../../sync/context';
import { previewSend, requestSend, unlink } from '../../sync/engine';
import { historyView } from '../history-view';
import { pageLanguage } from '../language';
import { retryLinkNow } from '../retry';
import type { Handlers } from '../router';
import { requireOrder } from '../sender-order';
import { markOrderActive, refreshBadge, runSync, syncContext } from '../sync-service';
import { linkViewOf, orderState } from '../views';

type OrderMessages = 'order/state' | 'order/preview' | 'order/send' | 'order/retry' | 'order/unlink' | 'order/history';

export const orderHandlers: Pick<Handlers, OrderMessages> = {
  // The page asks while it is visible, which also keeps its links polled every few seconds.
  'order/state': async (_payload, sender) => {
    const ctx = await syncContext();
    const orderId = requireOrder(ctx, sender);
    await markOrderActive(ctx, orderId);
    return orderState(ctx, orderId, pageLanguage(ctx.settings));
  },
  'order/preview': async ({ partnerId }, sender) => {
    const ctx = await syncContext();
    const plan = await previewSend(ctx, partnerId, requireOrder(ctx, sender));
    return { partnerName: partnerOf(ctx.settings, partnerId).name, ...plan.view };
  },
  'order/send': async ({ partnerId }, sender) => {
    const ctx = await syncContext();
    ownBoxOf(ctx.settings);
    const orderId = requireOrder(ctx, sender);
    await requestSend(ctx, partnerId, orderId, 'click');
    void runSync();
    return linkViewOf(ctx, partnerId, orderId);
  },
  'order/retry': async ({ partnerId }, sender) => {
    const ctx = await syncContext();
    const orderId = requireOrder(ctx, sender);
    await retryLinkNow(ctx, linkId(partnerId, orderId));
    void runSync();
    return linkViewOf(ctx, partnerId, orderId);
  },
  'order/unlink': async ({ partnerId }, sender) => {
    const ctx = await syncContext();
    const orderId = requireOrder(ctx, sender);
    await unlink(ctx, linkId(partnerId, orderId));
    // Its parked jobs are gone: the badge must not count them any more.
    await refreshBadge(ctx.db);
    return linkViewOf(ctx, partnerId, orderId);
  },
  'order/history': async (_payload, sender) => {
    const ctx = await syncContext();
    const orderId = requireOrder(ctx, sender);
    const links = await ctx.db.getAllKeysFromIndex('links', 'byOrder', orderId);
    return historyView(ctx, orderId, links, pageLanguage(ctx.settings), `partner-sync-history-order-${orderId}.csv`);
  },
};
