// What the content script on an order page asks: the order's links, a preview of a send, and
// the manager's send / retry / unlink. The order is always the one in the sender's address.
import { translate, type Language, type MessageKey } from '../../i18n';
import type { CommentView, LinkView, OrderPageState } from '../../messages/protocol';
import type { MessageSender } from '../../platform/browser-api';
import { orderIdFromUrl } from '../../page/selectors';
import { linkId, type CommentJob, type ItemError, type LinkRecord, type OutboxJob } from '../../sync/db';
import { ownBoxOf, partnerOf, type SyncContext } from '../../sync/context';
import { previewSend, requestSend, unlink } from '../../sync/engine';
import { SyncError } from '../../sync/errors';
import { composerChoiceOf, recordCommentChoice, recordComposerChoice } from '../../sync/comments';
import { retryLink } from '../../sync/outbox';
import { pageLanguage } from '../language';
import type { Handlers } from '../router';
import { markOrderActive, refreshBadge, runSync, syncContext } from '../sync-service';

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

/** An item's error as the user reads it: the message in their language and the box's own words. */
export function describeError(language: Language, error: ItemError): { text: string; detail?: string } {
  return { text: translate(language, error.messageKey as MessageKey), ...(error.detail ? { detail: error.detail } : {}) };
}

/**
 * Who a link is with, where it points, and its state as the user sees it: a send parked for
 * the user is "failed". `jobs` are the link's jobs, oldest first (a sending link's first is its send).
 */
export function linkSummary(ctx: SyncContext, link: LinkRecord, jobs: OutboxJob[]): Omit<LinkView, 'problem'> {
  const partner = ctx.settings.partners.find((p) => p.id === link.partnerId);
  return {
    partnerId: link.partnerId,
    partnerName: partner?.name ?? link.partnerId,
    state: link.state === 'sending' && jobs[0]?.state === 'parked' ? 'failed' : link.state,
    ...(link.remoteOrderId ? { remoteOrderId: link.remoteOrderId } : {}),
    ...(link.remoteUrl ? { remoteUrl: link.remoteUrl } : {}),
  };
}

async function linkView(ctx: SyncContext, link: LinkRecord, language: Language): Promise<LinkView> {
  const jobs = await ctx.db.getAllFromIndex('outbox', 'byLink', link.id);
  const job = jobs[0];
  const error = job?.error ?? link.error;
  return {
    ...linkSummary(ctx, link, jobs),
    ...(error ? { problem: { ...describeError(language, error), retrying: job?.state !== 'parked' } } : {}),
  };
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

async function viewOf(ctx: SyncContext, partnerId: string, orderId: string): Promise<LinkView> {
  const link = await ctx.db.get('links', linkId(partnerId, orderId));
  if (!link) throw new SyncError('config', 'error_not_linked');
  return linkView(ctx, link, pageLanguage(ctx.settings));
}

type OrderMessages = 'order/state' | 'order/preview' | 'order/send' | 'order/retry' | 'order/unlink';
type CommentMessages = 'composer/choice' | 'comment/choice' | 'comment/retry' | 'comment/post';

export const orderHandlers: Pick<Handlers, OrderMessages | CommentMessages> = {
  // The page asks while it is visible, which also keeps its links polled every few seconds.
  'order/state': async (_payload, sender) => {
    const ctx = await syncContext();
    const orderId = requireOrder(ctx, sender);
    await markOrderActive(ctx, orderId);
    return orderState(ctx, orderId, pageLanguage(ctx.settings));
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
    await markOrderActive(ctx, orderId);
    await runSync();
    return viewOf(ctx, partnerId, orderId);
  },
  'order/unlink': async ({ partnerId }, sender) => {
    const ctx = await syncContext();
    const orderId = requireOrder(ctx, sender);
    await unlink(ctx, linkId(partnerId, orderId));
    // Its parked jobs are gone: the badge must not count them any more.
    await refreshBadge(ctx.db);
    return viewOf(ctx, partnerId, orderId);
  },
  'composer/choice': async ({ share, viewerId }, sender) => {
    const ctx = await syncContext();
    const orderId = requireOrder(ctx, sender);
    await recordComposerChoice(ctx, orderId, share, viewerId);
    void runSync();
    return null;
  },
  'comment/choice': async ({ commentId, authorId, share }, sender) => {
    const ctx = await syncContext();
    const outcome = await recordCommentChoice(ctx, requireOrder(ctx, sender), commentId, share, authorId);
    void runSync();
    return outcome;
  },
  'comment/retry': async (_payload, sender) => {
    const ctx = await syncContext();
    const orderId = requireOrder(ctx, sender);
    for (const link of await ctx.db.getAllFromIndex('links', 'byOrder', orderId)) await retryLink(ctx.db, link.id);
    void runSync();
    return null;
  },
  // The panel's own composer, where the box's is not found: the comment is written over the
  // API with the client-cabinet flag the author chose, and the partner choice is bound to its id
  // before any poll can see it (the write's answer carries the id).
  'comment/post': async ({ text, share, clientVisible }, sender) => {
    const ctx = await syncContext();
    const orderId = requireOrder(ctx, sender);
    const commentId = await ctx.clientFor(ownBoxOf(ctx.settings)).addComment(orderId, text, clientVisible);
    await recordCommentChoice(ctx, orderId, commentId, share);
    await markOrderActive(ctx, orderId);
    return null;
  },
};
