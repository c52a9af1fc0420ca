// What the content script asks when it starts on a page of any box it is injected into, and
// what it reports once the page has settled: the elements it did not find there.
import { messagesWithPrefix } from '../../i18n';
import { pageLanguage } from '../language';
import { clearPageProblems, recordPageProblems, tabOf } from '../page-problems';
import type { Handlers } from '../router';
import { requireOrder, senderOrderId } from '../sender-order';
import { syncContext } from '../sync-service';
import { orderState } from '../views';

export const pageHandlers: Pick<Handlers, 'page/hello' | 'page/problems'> = {
  'page/hello': async (_payload, sender) => {
    const ctx = await syncContext();
    const language = pageLanguage(ctx.settings);
    const ownBoxOrigin = ctx.settings.ownBox ? new URL(ctx.settings.ownBox.url).origin : null;
    const orderId = senderOrderId(ctx, sender);
    // A page (re)loaded in this tab reports its own problems once it has settled.
    await clearPageProblems(tabOf(sender));
    return {
      language,
      // The errors too: a failed request comes back as a key, and the page says it.
      strings: messagesWithPrefix(language, 'page_', 'error_'),
      ownBox: sender.url !== undefined && new URL(sender.url).origin === ownBoxOrigin,
      order: orderId ? await orderState(ctx, orderId, language) : null,
    };
  },
  'page/problems': async ({ missing }, sender) => {
    const ctx = await syncContext();
    await recordPageProblems(tabOf(sender), requireOrder(ctx, sender), missing);
    return null;
  },
};
