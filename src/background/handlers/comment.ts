// What the content script on an order page asks about comments: the pictogram's choices, the
// retry of one failed comment, and a comment written in the extension's own composer.
import { ownBoxOf } from '../../sync/context';
import { recordCommentChoice, recordComposerChoice } from '../../sync/comments';
import { retryComment } from '../../sync/outbox';
import type { Handlers } from '../router';
import { requireOrder } from '../sender-order';
import { markOrderActive, runSync, syncContext } from '../sync-service';

type CommentMessages = 'composer/choice' | 'comment/choice' | 'comment/retry' | 'comment/post';

export const commentHandlers: Pick<Handlers, CommentMessages> = {
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
  // The page shows "Retry" beside one comment: its copy goes back in line for every partner it
  // failed for, and nothing else of the order's links does.
  'comment/retry': async ({ commentId }, sender) => {
    const ctx = await syncContext();
    const orderId = requireOrder(ctx, sender);
    for (const link of await ctx.db.getAllFromIndex('links', 'byOrder', orderId)) await retryComment(ctx.db, link.id, commentId, ctx.now());
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
