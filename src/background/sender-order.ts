// The order a page message is about: always the one in the sender's address, which the browser
// sets and a page cannot forge.
import { KeyedError } from '../errors/keyed-error';
import { orderIdFromUrl } from '../page/selectors';
import type { MessageSender } from '../platform/browser-api';
import type { SyncContext } from '../sync/context';

/** The order id of the sender's page, when it is an order page of the own box. */
export function senderOrderId(ctx: SyncContext, sender: MessageSender): string | null {
  const own = ctx.settings.ownBox;
  if (!own || !sender.url || new URL(sender.url).origin !== new URL(own.url).origin) return null;
  return orderIdFromUrl(sender.url);
}

export function requireOrder(ctx: SyncContext, sender: MessageSender): string {
  const orderId = senderOrderId(ctx, sender);
  if (!orderId) throw new KeyedError({ kind: 'config', messageKey: 'error_not_order_page' });
  return orderId;
}
