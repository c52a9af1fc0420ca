// Two-way comment sync for linked orders. A poll reads the comments both boxes gained since the
// link's cursors and turns each into a durable job in the link's outbound or inbound lane;
// the jobs copy them with attribution. Three rules keep it honest:
// - no echo: every comment the extension writes is recorded as a copy and never read back as new;
// - no doubles: a write that may have landed (the answer was lost, the worker stopped) is looked
//   for in the target box before it is written again;
// - private stays private: an outbound comment waits out the hold window, and the author's
//   pictogram (or, for comments written elsewhere, the client-visible filter) decides.
import type { Comment, OneBoxClient } from '../onebox';
import type { PartnerSettings } from '../settings/types';
import { commentKey, lanes, type CommentJob, type CommentRecord, type LinkRecord, type ShareIntent } from './db';
import { ownBoxOf, partnerBox, partnerOf, type SyncContext } from './context';

/** How long a pictogram choice waits for its comment to show up in the box. */
export const INTENT_TTL_MS = 10 * 60_000;
/** Polling slows down for quiet links: 30 s, 1 min, 2 min, ... up to 30 min. */
const QUIET_BASE_MS = 30_000;
const QUIET_MAX_MS = 30 * 60_000;

/**
 * The pause before a link's next poll, spread by ±15% so that links linked together (or
 * overdue after a restart) do not stay in step and hit the boxes in one burst.
 */
export function quietDelay(quietPolls: number, random = Math.random()): number {
  return Math.round(Math.min(QUIET_MAX_MS, QUIET_BASE_MS * 2 ** quietPolls) * (0.85 + 0.3 * random));
}

/** Same text, whatever the box did to line ends and surrounding blanks. */
export function sameText(a: string, b: string): boolean {
  const norm = (text: string) => text.replace(/\r\n?/g, '\n').replace(/[ \t]+/g, ' ').trim();
  return norm(a) === norm(b);
}

export function attributed(author: string | null, company: string, text: string): string {
  return `${author || '—'}, ${company}: ${text}`;
}

/** The company name shown with our comments in the partner's box: the own box's host. */
export function ownCompanyLabel(ownBoxUrl: string): string {
  return new URL(ownBoxUrl).host;
}

const maxId = (comments: Comment[], fallback?: string) => comments.at(-1)?.id ?? fallback;

type Decision = 'share' | 'private' | 'filtered';

/** The pictogram decides for comments written under it; the client-visible filter for the rest. */
function decide(intents: ShareIntent[], link: LinkRecord, partner: PartnerSettings, comment: Comment, now: number): { decision: Decision; intent?: ShareIntent } {
  const intent = intents.find((i) => !i.usedBy.includes(link.id) && now - i.at < INTENT_TTL_MS && sameText(i.text, comment.content));
  if (intent) return { decision: intent.share ? 'share' : 'private', intent };
  if (partner.syncOnlyClientVisibleComments && comment.clientVisible !== true) return { decision: 'filtered' };
  return { decision: 'share' };
}

function clients(ctx: SyncContext, link: LinkRecord): { own: OneBoxClient; remote: OneBoxClient; partner: PartnerSettings } {
  const partner = partnerOf(ctx.settings, link.partnerId);
  return { own: ctx.clientFor(ownBoxOf(ctx.settings)), remote: ctx.clientFor(partnerBox(partner)), partner };
}

/**
 * Reads what is new on both sides of one link and queues it. Returns how many comments were
 * new (0 makes the link's next poll later).
 */
export async function pollLink(ctx: SyncContext, id: string): Promise<number> {
  const link = await ctx.db.get('links', id);
  if (!link || link.state !== 'linked' || !link.remoteOrderId) return 0;
  const { own, remote, partner } = clients(ctx, link);
  // Each side is read on its own: a partner box that is down must not keep our new comments
  // from being queued (in order) meanwhile, and the other way round.
  const [localRead, remoteRead] = await Promise.allSettled([
    own.listComments(link.localOrderId, link.localCursor),
    remote.listComments(link.remoteOrderId, link.remoteCursor),
  ]);
  const local = localRead.status === 'fulfilled' ? localRead.value : [];
  const remoteNew = remoteRead.status === 'fulfilled' ? remoteRead.value : [];
  const now = ctx.now();
  const holdMs = ctx.settings.preferences.holdSeconds * 1000;
  const company = ownCompanyLabel(ownBoxOf(ctx.settings).url);

  const tx = ctx.db.transaction(['links', 'comments', 'outbox', 'intents'], 'readwrite');
  const records = tx.objectStore('comments');
  const outbox = tx.objectStore('outbox');
  const intentStore = tx.objectStore('intents');
  const inFlight = (await outbox.index('byLink').getAll(id)).filter(
    (job): job is CommentJob => job.kind !== 'send-order' && job.inFlightSince !== undefined,
  );
  // A copy whose write may have landed unrecorded is ours, not new: its job will find it.
  const isOurCopy = (kind: CommentJob['kind'], comment: Comment) => inFlight.some((job) => job.kind === kind && sameText(job.text, comment.content));
  const intents = await intentStore.index('byOrder').getAll(link.localOrderId);
  const base = { linkId: id, state: 'pending' as const, attempts: 0, createdAt: now };
  let fresh = 0;

  for (const comment of local) {
    const key = commentKey(id, 'local', comment.id);
    if ((await records.get(key)) || isOurCopy('comment-in', comment)) continue;
    fresh += 1;
    const { decision, intent } = decide(intents, link, partner, comment, now);
    if (intent) {
      intent.usedBy.push(id);
      await intentStore.put(intent);
    }
    const state = decision === 'share' ? 'queued' : decision === 'private' ? 'private' : 'skipped';
    await records.put({ key, linkId: id, side: 'local', commentId: comment.id, role: 'original', state, at: now });
    if (decision === 'share') {
      await outbox.add({
        ...base, kind: 'comment-out', lane: lanes.out(id), sourceId: comment.id, sourceText: comment.content,
        text: attributed(comment.authorName, company, comment.content), notBefore: now + holdMs,
      });
    }
  }
  for (const comment of remoteNew) {
    const key = commentKey(id, 'remote', comment.id);
    if ((await records.get(key)) || isOurCopy('comment-out', comment)) continue;
    fresh += 1;
    const visible = !partner.syncOnlyClientVisibleComments || comment.clientVisible === true;
    await records.put({ key, linkId: id, side: 'remote', commentId: comment.id, role: 'original', state: visible ? 'queued' : 'skipped', at: now });
    if (visible) {
      await outbox.add({
        ...base, kind: 'comment-in', lane: lanes.in(id), sourceId: comment.id, sourceText: comment.content,
        text: attributed(comment.authorName, partner.name, comment.content), notBefore: now,
      });
    }
  }
  const current = (await tx.objectStore('links').get(id)) ?? link;
  const quietPolls = fresh > 0 ? 0 : (current.quietPolls ?? 0) + 1;
  await tx.objectStore('links').put({
    ...current,
    localCursor: maxId(local, current.localCursor),
    remoteCursor: maxId(remoteNew, current.remoteCursor),
    lastSyncAt: now,
    quietPolls,
    nextPollAt: now + quietDelay(quietPolls),
  });
  await tx.done;
  // What was read is queued; now say why the rest was not (the caller records it on the link).
  for (const read of [localRead, remoteRead]) {
    if (read.status === 'rejected') throw read.reason;
  }
  return fresh;
}

/** Copies one comment to the other box, exactly once. */
async function copyComment(ctx: SyncContext, job: CommentJob): Promise<void> {
  const link = await ctx.db.get('links', job.linkId);
  if (!link || link.state !== 'linked' || !link.remoteOrderId) return;
  const sourceSide = job.kind === 'comment-out' ? 'local' : 'remote';
  const source = await ctx.db.get('comments', commentKey(link.id, sourceSide, job.sourceId));
  // Switched to private during the hold window: it never leaves.
  if (source?.state === 'private') return;
  const { own, remote } = clients(ctx, link);
  const [target, targetOrderId, targetSide, cursor] = job.kind === 'comment-out'
    ? [remote, link.remoteOrderId, 'remote' as const, link.remoteCursor]
    : [own, link.localOrderId, 'local' as const, link.localCursor];

  let copyId: string | undefined;
  if (job.inFlightSince !== undefined) {
    // An earlier try may have written it and lost the answer: look before writing again.
    const after = await target.listComments(targetOrderId, job.targetFloor);
    copyId = after.find((comment) => sameText(comment.content, job.text))?.id;
  } else {
    await ctx.db.put('outbox', { ...job, inFlightSince: ctx.now(), ...(cursor ? { targetFloor: cursor } : {}) });
  }
  copyId ??= await target.addComment(targetOrderId, job.text, job.kind === 'comment-out');

  const tx = ctx.db.transaction('comments', 'readwrite');
  const now = ctx.now();
  const copy: CommentRecord = { key: commentKey(link.id, targetSide, copyId), linkId: link.id, side: targetSide, commentId: copyId, role: 'copy', state: job.kind === 'comment-out' ? 'sent' : 'received', counterpartId: job.sourceId, at: now };
  await tx.store.put(copy);
  if (source) await tx.store.put({ ...source, state: 'sent', counterpartId: copyId, at: now });
  await tx.done;
}

export const commentRunners = (ctx: SyncContext) => ({
  'comment-out': (job: CommentJob<'comment-out'>) => copyComment(ctx, job),
  'comment-in': (job: CommentJob<'comment-in'>) => copyComment(ctx, job),
});

/**
 * The author's pictogram choice, told by the page as they submit. It is kept for matching the
 * comment when a poll finds it, and applied at once to a matching comment already waiting.
 */
export async function recordIntent(ctx: SyncContext, localOrderId: string, text: string, share: boolean): Promise<void> {
  const now = ctx.now();
  const tx = ctx.db.transaction(['intents', 'outbox', 'comments', 'links'], 'readwrite');
  const intents = tx.objectStore('intents');
  for (const old of await intents.index('byOrder').getAll(localOrderId)) {
    if (now - old.at >= INTENT_TTL_MS) await intents.delete(old.seq!);
  }
  const intent: ShareIntent = { localOrderId, text, share, at: now, usedBy: [] };
  for (const link of await tx.objectStore('links').index('byOrder').getAll(localOrderId)) {
    const waiting = (await tx.objectStore('outbox').index('byLink').getAll(link.id)).find(
      (job): job is CommentJob<'comment-out'> => job.kind === 'comment-out' && job.inFlightSince === undefined && sameText(job.sourceText, text),
    );
    if (!waiting) continue;
    intent.usedBy.push(link.id);
    if (!share) await makePrivate({ outbox: tx.objectStore('outbox'), comments: tx.objectStore('comments') }, waiting, now);
  }
  await intents.add(intent);
  await tx.done;
}

/** The parts of a transaction that switching a waiting comment to private touches. */
interface PrivacyStores {
  outbox: { delete(key: number): Promise<void> };
  comments: { get(key: string): Promise<CommentRecord | undefined>; put(value: CommentRecord): Promise<string> };
}

async function makePrivate(stores: PrivacyStores, job: CommentJob<'comment-out'>, now: number): Promise<void> {
  await stores.outbox.delete(job.seq!);
  const key = commentKey(job.linkId, 'local', job.sourceId);
  const record = await stores.comments.get(key);
  if (record) await stores.comments.put({ ...record, state: 'private', at: now });
}

/**
 * Switches a comment that still waits to be sent to private, on every link of its order.
 * Returns false when it already left (or was never going to).
 */
export async function switchToPrivate(ctx: SyncContext, localOrderId: string, localCommentId: string): Promise<boolean> {
  const tx = ctx.db.transaction(['links', 'outbox', 'comments'], 'readwrite');
  const stores = { outbox: tx.objectStore('outbox'), comments: tx.objectStore('comments') };
  let switched = false;
  for (const link of await tx.objectStore('links').index('byOrder').getAll(localOrderId)) {
    const job = (await stores.outbox.index('byLink').getAll(link.id)).find(
      (j): j is CommentJob<'comment-out'> => j.kind === 'comment-out' && j.sourceId === localCommentId && j.inFlightSince === undefined,
    );
    if (!job) continue;
    await makePrivate(stores, job, ctx.now());
    switched = true;
  }
  await tx.done;
  return switched;
}
