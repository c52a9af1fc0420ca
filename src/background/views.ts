// What the order page and the popup show, built from the database: every text in the user's
// language, so the page and the popup only lay it out.
import { KeyedError, type KeyedErrorData } from '../errors/keyed-error';
import { translate, type Language, type MessageKey } from '../i18n';
import type { CommentView, LinkView, OrderPageState, PopupFailedItem, PopupLink, PopupOverview, PopupPageProblem } from '../messages/protocol';
import { ANCHORS, type Anchor } from '../page/selectors';
import { composerChoiceOf } from '../sync/comments';
import type { SyncContext } from '../sync/context';
import { isCommentJob, linkId, type CommentJob, type CommentRecord, type LinkRecord, type OutboxJob } from '../sync/db';
import { orderPageUrl } from '../sync/send-order';
import { pageLanguage } from './language';
import { openPageProblems } from './page-problems';
import { countWaitingForUser, waitsForUser } from './sync-service';

const RELATIVE_STEPS = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
] as const;
/** Enough of a comment to recognise it; a 10 KB one would crowd the popup. */
const EXCERPT_CHARS = 200;

/** An error as the user reads it: the message in their language and the box's own words. */
function describeError(language: Language, error: KeyedErrorData): { text: string; detail?: string } {
  return { text: translate(language, error.messageKey), ...(error.detail ? { detail: error.detail } : {}) };
}

/**
 * Who a link is with, where it points, and its state as the user sees it: a send parked for
 * the user is "failed". `jobs` are the link's jobs, oldest first (a sending link's first is its send).
 */
function linkSummary(ctx: SyncContext, link: LinkRecord, jobs: OutboxJob[], language: Language): Omit<LinkView, 'problem'> {
  const partner = ctx.settings.partners.find((p) => p.id === link.partnerId);
  return {
    partnerId: link.partnerId,
    partnerName: partner?.name ?? link.partnerId,
    state: link.state === 'sending' && jobs[0]?.state === 'parked' ? 'failed' : link.state,
    ...(link.remoteOrderId ? { remoteOrderId: link.remoteOrderId } : {}),
    ...(link.remoteUrl ? { remoteUrl: link.remoteUrl } : {}),
    ...(link.notice ? { notice: describeError(language, link.notice) } : {}),
    ...(link.remoteStage
      ? { remoteStage: { id: link.remoteStage.id, name: link.remoteStage.name ?? link.remoteStage.id, since: link.remoteStage.since, sinceText: clockTime(language, link.remoteStage.since) } }
      : {}),
  };
}

/** "03.12.2026, 18:05" (with `seconds`, "18:05:09"): a moment as the user's language writes it. */
export function clockTime(language: Language, at: number, seconds = false): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: seconds ? 'medium' : 'short' }).format(at);
}

async function linkView(ctx: SyncContext, link: LinkRecord, language: Language): Promise<LinkView> {
  const jobs = await ctx.db.getAllFromIndex('outbox', 'byLink', link.id);
  const job = jobs[0];
  const error = job?.error ?? link.error;
  return {
    ...linkSummary(ctx, link, jobs, language),
    ...(error ? { problem: { ...describeError(language, error), retrying: job?.state !== 'parked' } } : {}),
  };
}

/** The link of an order with a partner as the page shows it, as it is now. */
export async function linkViewOf(ctx: SyncContext, partnerId: string, orderId: string): Promise<LinkView> {
  const link = await ctx.db.get('links', linkId(partnerId, orderId));
  if (!link) throw new KeyedError({ kind: 'config', messageKey: 'error_not_linked' });
  return linkView(ctx, link, pageLanguage(ctx.settings));
}

/**
 * The status of each local comment the sync knows. With several partners the least finished
 * state wins: a comment is "sent" only when every partner has it.
 */
async function commentViews(ctx: SyncContext, links: LinkRecord[], language: Language): Promise<Record<string, CommentView>> {
  const rank: CommentView['state'][] = ['failed', 'queued', 'sent', 'private', 'received'];
  const views: Record<string, CommentView> = {};
  for (const link of links) {
    const jobs = await ctx.db.getAllFromIndex('outbox', 'byLink', link.id);
    for (const record of await ctx.db.getAllFromIndex('comments', 'byLink', link.id)) {
      if (record.side !== 'local' || record.state === 'skipped') continue;
      const job = jobs.find((j): j is CommentJob => j.kind === 'comment-out' && j.sourceId === record.commentId);
      const view: CommentView = { state: record.role === 'copy' ? 'received' : record.state === 'queued' && job?.state === 'parked' ? 'failed' : (record.state as CommentView['state']) };
      if (job?.error && job.state === 'parked') view.problem = describeError(language, job.error).text;
      if (view.state === 'queued' && job && job.inFlightSince === undefined) view.holdUntil = job.notBefore;
      const current = views[record.commentId];
      if (!current || rank.indexOf(view.state) < rank.indexOf(current.state)) views[record.commentId] = view;
    }
  }
  return views;
}

export async function orderState(ctx: SyncContext, orderId: string, language: Language): Promise<OrderPageState> {
  const links = await ctx.db.getAllFromIndex('links', 'byOrder', orderId);
  return {
    orderId,
    partners: ctx.settings.partners.map((p) => ({ id: p.id, name: p.name })),
    links: await Promise.all(links.map((link) => linkView(ctx, link, language))),
    comments: await commentViews(ctx, links, language),
    shareByDefault: ctx.settings.preferences.shareByDefault,
    composerShare: await composerChoiceOf(ctx, orderId),
  };
}

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
  const error = job.error ?? { kind: 'internal', messageKey: 'error_internal' };
  return {
    kind: job.kind,
    ...(isCommentJob(job) ? { excerpt: [...job.sourceText].slice(0, EXCERPT_CHARS).join('') } : {}),
    ...describeError(language, error),
  };
}

/** The newest thing that happened on a link; quiet polls are not activity, or the list would reshuffle. */
function lastActivity(link: LinkRecord, jobs: OutboxJob[], comments: CommentRecord[]): number {
  // A reduce, not a spread: a long-lived link may have more comments than a call takes arguments.
  const times = [link.createdAt, link.linkedAt ?? 0, link.error?.at ?? 0, ...jobs.map((job) => job.error?.at ?? job.createdAt)];
  return comments.reduce((latest, comment) => Math.max(latest, comment.at), Math.max(...times));
}

/** The order's page in the own box; null when the own box is not set up. */
function localUrlOf(ctx: SyncContext, orderId: string): string | null {
  const own = ctx.settings.ownBox;
  return own ? orderPageUrl(new URL(own.url).origin, orderId) : null;
}

async function linkOverview(ctx: SyncContext, link: LinkRecord, jobs: OutboxJob[], language: Language): Promise<PopupLink & { activity: number }> {
  return {
    ...linkSummary(ctx, link, jobs, language),
    linkId: link.id,
    localOrderId: link.localOrderId,
    localUrl: localUrlOf(ctx, link.localOrderId),
    lastSync: link.lastSyncAt === undefined ? null : { at: link.lastSyncAt, text: relativeTime(language, link.lastSyncAt, ctx.now()) },
    queued: jobs.filter((job) => job.kind !== 'send-order' && !waitsForUser.job(job)).length,
    failed: jobs.filter(waitsForUser.job).map((job) => failedItem(language, job)),
    ...(link.state === 'linked' && link.error
      ? { pollProblem: { ...describeError(language, link.error), retrying: !waitsForUser.poll(link) } }
      : {}),
    activity: lastActivity(link, jobs, await ctx.db.getAllFromIndex('comments', 'byLink', link.id)),
  };
}

/** What the user misses on a page without each anchor. */
const MISSING_KEYS = {
  orderHeader: 'popup_missing_header',
  commentList: 'popup_missing_comment_list',
  composer: 'popup_missing_composer',
} as const satisfies Record<Anchor, MessageKey>;

/** Open order pages that lack an anchor, one entry per order however many tabs show it. */
async function pageProblems(ctx: SyncContext, language: Language): Promise<PopupPageProblem[]> {
  const byOrder = new Map<string, Set<Anchor>>();
  for (const { orderId, missing } of await openPageProblems()) byOrder.set(orderId, new Set([...(byOrder.get(orderId) ?? []), ...missing]));
  return [...byOrder].sort(([a], [b]) => Number(a) - Number(b)).map(([orderId, missing]) => ({
    localOrderId: orderId,
    localUrl: localUrlOf(ctx, orderId),
    missing: ANCHORS.filter((anchor) => missing.has(anchor)).map((anchor) => ({ anchor, text: translate(language, MISSING_KEYS[anchor]) })),
  }));
}

/** Every link with its state, newest activity first, and the totals the popup's summary says. */
export async function popupOverview(ctx: SyncContext): Promise<PopupOverview> {
  const language = pageLanguage(ctx.settings);
  const [links, jobs] = await Promise.all([ctx.db.getAll('links'), ctx.db.getAll('outbox')]);
  const views = await Promise.all(links.map((link) => linkOverview(ctx, link, jobs.filter((job) => job.linkId === link.id), language)));
  views.sort((a, b) => b.activity - a.activity);
  const problem = await ctx.db.get('meta', 'worker-problem');
  return {
    language,
    ...(problem?.key === 'worker-problem' ? { workerProblem: { stage: problem.stage, ...describeError(language, problem.error) } } : {}),
    links: views.map(({ activity: _activity, ...view }) => view),
    pageProblems: await pageProblems(ctx, language),
    totals: {
      links: links.filter((link) => link.state !== 'unlinked').length,
      queued: views.reduce((sum, view) => sum + view.queued, 0),
      waiting: countWaitingForUser(jobs, links),
      checking: links.filter((link) => link.state === 'linked' && link.nextPollAt !== undefined && link.nextPollAt <= ctx.now()).length,
    },
  };
}
