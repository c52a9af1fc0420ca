// What the popup asks: the overview of every link, "Retry" for one link and "Sync now" for all,
// and the history of one link.
// Both actions queue the work, kick the sync and answer at once with the overview as it is; the
// popup asks again every 2 s and shows the sync's progress.
import { KeyedError } from '../../errors/keyed-error';
import { historyView } from '../history-view';
import { pageLanguage } from '../language';
import { pollNow, retryLinkNow } from '../retry';
import type { Handlers } from '../router';
import { runSync, syncContext } from '../sync-service';
import { popupOverview } from '../views';

export const popupHandlers: Pick<Handlers, 'popup/overview' | 'popup/retry' | 'popup/sync-now' | 'popup/history'> = {
  'popup/overview': async () => popupOverview(await syncContext()),
  'popup/retry': async ({ linkId }) => {
    const ctx = await syncContext();
    await retryLinkNow(ctx, linkId);
    void runSync();
    return popupOverview(ctx);
  },
  // Jobs keep their times, so a comment's hold window still holds.
  'popup/sync-now': async () => {
    const ctx = await syncContext();
    await pollNow(ctx);
    void runSync();
    return popupOverview(ctx);
  },
  'popup/history': async ({ linkId }) => {
    const ctx = await syncContext();
    const link = await ctx.db.get('links', linkId);
    if (!link) throw new KeyedError({ kind: 'config', messageKey: 'error_not_linked' });
    return historyView(ctx, link.localOrderId, [linkId], pageLanguage(ctx.settings), `partner-sync-history-order-${link.localOrderId}-${link.partnerId}.csv`);
  },
};
