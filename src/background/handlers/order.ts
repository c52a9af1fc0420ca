// What the content script on an order page asks: the order's links, a preview of a send, and
// the manager's send / retry / unlink. The order is always the one in the sender's address.
import { translate, type Language, type MessageKey } from '../../i18n';
import type { LinkView, OrderPageState } from '../../messages/protocol';
import type { MessageSender } from '../../platform/browser-api';
import { orderIdFromUrl } from '../../page/selectors';
import { linkId, type LinkRecord } from '../../sync/db';
import { ownBoxOf, partnerOf, previewSend, requestSend, unlink, type SyncContext } from '../../sync/engine';
import { SyncError } from '../../sync/errors';
import { retryLink } from '../../sync/outbox';
import { pageLanguage } from '../language';
import type { Handlers } from '../router';
import { runSync, syncContext } from '../sync-service';

/** The order id of the sender's page, when it is an order page of the own box. */
export function senderOrderId(ctx: SyncContext, sender: MessageSender): string | null {
  const own = ctx.settings.ownBox;
  if (!own || !sender.url || new URL(sender.url).origin !== new URL(own.url).origin) return null;
  return orderIdFromUrl(sender.url);
}

function requireOrder(ctx: SyncContext, sender: MessageSender): string {
  const orderId = senderOrderId(ctx, sender);
  if (!orderId) throw new SyncError('config', 'error_not_order_page');
  return orderId;
}

async function linkView(ctx: SyncContext, link: LinkRecord, language: Language): Promise<LinkView> {
  const partner = ctx.settings.partners.find((p) => p.id === link.partnerId);
  const job = (await ctx.db.getAllFromIndex('outbox', 'byLink', link.id))[0];
  const error = job?.error ?? link.error;
  const parked = job?.state === 'parked';
  return {
    partnerId: link.partnerId,
    partnerName: partner?.name ?? link.partnerId,
    state: link.state === 'sending' && parked ? 'failed' : link.state,
    ...(link.remoteOrderId ? { remoteOrderId: link.remoteOrderId } : {}),
    ...(link.remoteUrl ? { remoteUrl: link.remoteUrl } : {}),
    ...(error
      ? { problem: { text: translate(language, error.messageKey as MessageKey), ...(error.detail ? { detail: error.detail } : {}), retrying: !parked } }
      : {}),
  };
}

export async function orderState(ctx: SyncContext, orderId: string, language: Language): Promise<OrderPageState> {
  const links = await ctx.db.getAllFromIndex('links', 'byOrder', orderId);
  return {
    orderId,
    partners: ctx.settings.partners.map((p) => ({ id: p.id, name: p.name })),
    links: await Promise.all(links.map((link) => linkView(ctx, link, language))),
  };
}

async function viewOf(ctx: SyncContext, partnerId: string, orderId: string): Promise<LinkView> {
  const link = await ctx.db.get('links', linkId(partnerId, orderId));
  if (!link) throw new SyncError('config', 'error_not_linked');
  return linkView(ctx, link, pageLanguage(ctx.settings));
}

export const orderHandlers: Pick<Handlers, 'order/state' | 'order/preview' | 'order/send' | 'order/retry' | 'order/unlink'> = {
  'order/state': async (_payload, sender) => {
    const ctx = await syncContext();
    return orderState(ctx, requireOrder(ctx, sender), pageLanguage(ctx.settings));
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
    await runSync();
    return viewOf(ctx, partnerId, orderId);
  },
  'order/retry': async ({ partnerId }, sender) => {
    const ctx = await syncContext();
    const orderId = requireOrder(ctx, sender);
    await retryLink(ctx.db, linkId(partnerId, orderId));
    await runSync();
    return viewOf(ctx, partnerId, orderId);
  },
  'order/unlink': async ({ partnerId }, sender) => {
    const ctx = await syncContext();
    const orderId = requireOrder(ctx, sender);
    await unlink(ctx, linkId(partnerId, orderId));
    return viewOf(ctx, partnerId, orderId);
  },
};
