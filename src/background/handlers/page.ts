// What the content script asks when it starts on a page of any box it is injected into.
import { messagesWithPrefix } from '../../i18n';
import { pageLanguage } from '../language';
import type { Handlers } from '../router';
import { syncContext } from '../sync-service';
import { orderState, senderOrderId } from './order';

export const pageHandlers: Pick<Handlers, 'page/hello'> = {
  'page/hello': async (_payload, sender) => {
    const ctx = await syncContext();
    const language = pageLanguage(ctx.settings);
    const ownBoxOrigin = ctx.settings.ownBox ? new URL(ctx.settings.ownBox.url).origin : null;
    const orderId = senderOrderId(ctx, sender);
    return {
      language,
      strings: messagesWithPrefix(language, 'page_'),
      ownBox: sender.url !== undefined && new URL(sender.url).origin === ownBoxOrigin,
      order: orderId ? await orderState(ctx, orderId, language) : null,
    };
  },
};
