// What the popup shows and asks: every link with its state, last sync, queue and failed items,
// "Retry" for one link and "Sync now" for all. Texts come in the user's language, built the
// same way as on the order page.
import type { Language } from '../../i18n';
import type { PopupFailedItem, PopupLink, PopupOverview } from '../../messages/protocol';
import type { SyncContext } from '../../sync/context';
import type { CommentRecord, LinkRecord, OutboxJob } from '../../sync/db';
import { SyncError } from '../../sync/errors';
import { retryLink } from '../../sync/outbox';
import { orderPageUrl } from '../../sync/send-order';
import { pageLanguage } from '../language';
import type { Handlers } from '../router';
import { countWaitingForUser, runSync, syncContext, waitsForUser } from '../sync-service';
import { describeError, linkSummary } from './order';

const RELATIVE_STEPS = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
] as const;
/** Enough of a comment to recognise it; a 10 KB one would crowd the popup. */
const EXCERPT_CHARS = 200;

/** "5 minutes ago", "now", "вчора": a past moment as the user says it. */
function relativeTime(language: Language, at: number, now: number): string {
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  let value = Math.min(0, at - now) / 1000;
  for (const [unit, size] of RELATIVE_STEPS) {
    if (Math.abs(value) < size) return format.format(Math.trunc(value), unit);
    value /= size;
  }
  return format.format(Math.trunc(value), 'day');
}

function failedItem(language: Language, job: OutboxJob): PopupFailedItem {
  // A parked job always has its error; one without would be our own fault.
  const error = job.error ?? { kind: 'internal', messageKey: 'error_internal', at: job.createdAt };
  return {
    kind: job.kind,
    ...(job.kind === 'send-order' ? {} : { excerpt: [...job.sourceText].slice(0, EXCERPT_CHARS).join('') }),
    ...describeError(language, error),
  };
}

/** The newest thing that happened on a link; quiet polls are not activity, or the list would reshuffle. */
function lastActivity(link: LinkRecord, jobs: OutboxJob[], comments: CommentRecord[]): number {
  // A reduce, not a spread: a long-lived link may have more comments than a call takes arguments.
  const times = [link.createdAt, link.linkedAt ?? 0, link.error?.at ?? 0, ...jobs.map((job) => job.error?.at ?? job.createdAt)];
  return comments.reduce((latest, comment) => Math.max(latest, comment.at), Math.max(...times));
}

async function linkOverview(ctx: SyncContext, link: LinkRecord, jobs: OutboxJob[], language: Language): Promise<PopupLink & { activity: number }> {
  const own = ctx.settings.ownBox;
  return {
    ...linkSummary(ctx, link, jobs),
    linkId: link.id,
    localOrderId: link.localOrderId,
    localUrl: own ? orderPageUrl(new URL(own.url).origin, link.localOrderId) : null,
    lastSync: link.lastSyncAt === undefined ? null : { at: link.lastSyncAt, text: relativeTime(language, link.lastSyncAt, ctx.now()) },
    queued: jobs.filter((job) => job.kind !== 'send-order' && !waitsForUser.job(job)).length,
    failed: jobs.filter(waitsForUser.job).map((job) => failedItem(language, job)),
    ...(link.state === 'linked' && link.error
      ? { pollProblem: { ...describeError(language, link.error), retrying: !waitsForUser.poll(link) } }
      : {}),
    activity: lastActivity(link, jobs, await ctx.db.getAllFromIndex('comments', 'byLink', link.id)),
  };
}

async function popupOverview(ctx: SyncContext): Promise<PopupOverview> {
  const language = pageLanguage(ctx.settings);
  const [links, jobs] = await Promise.all([ctx.db.getAll('links'), ctx.db.getAll('outbox')]);
  const views = await Promise.all(links.map((link) => linkOverview(ctx, link, jobs.filter((job) => job.linkId === link.id), language)));
  views.sort((a, b) => b.activity - a.activity);
  const problem = await ctx.db.get('meta', 'worker-problem');
  return {
    ...(problem?.key === 'worker-problem' ? { workerProblem: { stage: problem.stage, ...describeError(language, problem.error) } } : {}),
    language,
    links: views.map(({ activity: _activity, ...view }) => view),
    totals: {
      links: links.filter((link) => link.state !== 'unlinked').length,
      queued: views.reduce((sum, view) => sum + view.queued, 0),
      waiting: countWaitingForUser(jobs, links),
    },
  };
}

/** Makes one linked order, or all, due for a poll now; the next sync pass reads both boxes. */
async function pollNow(ctx: SyncContext, linkId?: string): Promise<void> {
  // Read inside the transaction: a poll running meanwhile may have moved the link's cursors.
  const tx = ctx.db.transaction('links', 'readwrite');
  const links = linkId === undefined ? await tx.store.index('byState').getAll('linked') : [await tx.store.get(linkId)];
  for (const link of links) {
    if (link?.state === 'linked') await tx.store.put({ ...link, nextPollAt: ctx.now() });
  }
  await tx.done;
}

export const popupHandlers: Pick<Handlers, 'popup/overview' | 'popup/retry' | 'popup/sync-now'> = {
  'popup/overview': async () => popupOverview(await syncContext()),
  // A link's parked jobs go back in line, and a poll that failed is tried again at once.
  'popup/retry': async ({ linkId }) => {
    const ctx = await syncContext();
    if (!(await ctx.db.get('links', linkId))) throw new SyncError('config', 'error_not_linked');
    await retryLink(ctx.db, linkId, ctx.now());
    await pollNow(ctx, linkId);
    await runSync();
    return popupOverview(ctx);
  },
  // Polls every linked order now; jobs keep their times, so a comment's hold window still holds.
  'popup/sync-now': async () => {
    const ctx = await syncContext();
    await pollNow(ctx);
    await runSync();
    return popupOverview(ctx);
  },
};
