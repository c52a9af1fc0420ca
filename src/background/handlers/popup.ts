// What the popup asks: the overview of every link, "Retry" for one link and "Sync now" for all.
// Both actions queue the work, kick the sync and answer at once with the overview as it is; the
// popup asks again every 2 s and shows the sync's progress.
import { pollNow, retryLinkNow } from '../retry';
import type { Handlers } from '../router';
import { runSync, syncContext } from '../sync-service';
import { popupOverview } from '../views';

export const popupHandlers: Pick<Handlers, 'popup/overview' | 'popup/retry' | 'popup/sync-now'> = {
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
};
