// What the content script asks when it starts on a page of any box it is injected into.
import { messagesWithPrefix } from '../../i18n';
import { pageLanguage } from '../language';
import type { Handlers } from '../router';
import { senderOrderId } from '../sender-order';
import { syncContext } from '../sync-service';
import { orderState } from '../views';

export const pageHandlers: Pick<Handlers, 'page/hello'> = {
  'page/hello': async (_payload, sender) => {
    const ctx = await syncContext();
    const language = pageLanguage(ctx.settings);
    const ownBoxOrigin = ctx.settings.ownBox ? new URL(ctx.settings.ownBox.url).origin : null;
    const orderId = senderOrderId(ctx, sender);
    return {
      language,
      // The errors too: a failed request comes back as a key, and the page says it.
      strings: messagesWithPrefix(language, 'page_', 'error_'),
      ownBox: sender.url !== undefined && new URL(sender.url).origin === ownBoxOrigin,
      order: orderId ? await orderState(ctx, orderId, language) : null,
    };
  },
};
