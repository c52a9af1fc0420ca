// "Retry" and "Sync now", from the order page or the popup: what waits is put back in line and
// made due. The handlers then kick the sync without waiting for it; the page and the popup ask
// for their state again and show the progress.
import { KeyedError } from '../errors/keyed-error';
import type { SyncContext } from '../sync/context';
import { retryLink } from '../sync/outbox';
import { refreshBadge } from './sync-service';

/** Makes one linked order, or all, due for a poll now; the next sync pass reads both boxes. */
export async function pollNow(ctx: SyncContext, linkId?: string): Promise<void> {
  // Read inside the transaction: a poll running meanwhile may have moved the link's cursors.
  const tx = ctx.db.transaction('links', 'readwrite');
  const links = linkId === undefined ? await tx.store.index('byState').getAll('linked') : [await tx.store.get(linkId)];
  for (const link of links) {
    if (link?.state === 'linked') await tx.store.put({ ...link, nextPollAt: ctx.now() });
  }
  await tx.done;
}

/** A link's parked jobs go back in line, and a poll that failed is tried again at the next pass. */
export async function retryLinkNow(ctx: SyncContext, linkId: string): Promise<void> {
  if (!(await ctx.db.get('links', linkId))) throw new KeyedError({ kind: 'config', messageKey: 'error_not_linked' });
  await retryLink(ctx.db, linkId, ctx.now());
  await pollNow(ctx, linkId);
  // What went back in line no longer waits for the user, even before the pass has run.
  await refreshBadge(ctx.db);
}
