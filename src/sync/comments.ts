// Two-way comment sync for linked orders. A poll reads the comments both boxes gained since the
// link's cursors and turns each into a durable job in the link's outbound or inbound lane;
// the jobs copy them with attribution. Three rules keep it honest:
// - no echo: every comment the extension writes is recorded as a copy and never read back as new;
// - no doubles: a write that may have landed (the answer was lost, the worker stopped) is looked
//   for in the target box, once that write can no longer arrive, before it is written again;
// - private stays private, failing closed: an outbound comment waits out the hold window, and is
//   decided in the same transaction that starts its write (see `decideOutbound`).
import { isOneBoxError, REQUEST_TIMEOUT_MS, type Comment, type OneBoxClient } from '../onebox';
import { MIN_HOLD_SECONDS } from '../settings/schema';
import type { OwnBoxSettings, PartnerSettings } from '../settings/types';
import {
  choiceKey, commentKey, isCommentJob, lanes,
  type ChoiceRecord, type CommentChoice, type CommentJob, type ComposerChoice, type LinkRecord, type SyncDb,
} from './db';
import { ownBoxOf, partnerBox, partnerOf, type SyncContext } from './context';
import { excerptOf, recordHistory } from './history';
import { authorLabel, crossBoxText, oneLine } from './markup';
import { claimJob, settleJob, type Deferred } from './outbox';

/** Polling slows down for quiet links: 30 s, 1 min, 2 min, ... up to 30 min. */
const QUIET_BASE_MS = 30_000;
const QUIET_MAX_MS = 30 * 60_000;
/**
 * A write whose answer was lost may still land until its request times out (a stopped worker's
 * request can be at the box already); only then is the box searched for it. The margin covers
 * the time the request waited in the throttle's queue.
 */
export const IN_FLIGHT_SETTLE_MS = REQUEST_TIMEOUT_MS + 10_000;

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

/**
 * A copy's text, both ways: "Name (Company): text", who wrote it in which company on one line,
 * then what they wrote with its box's markup made plain (markup.ts). Its job stores this text,
 * and reconciliation looks for it.
 */
export function attributed(author: string | null, company: string, text: string): string {
  const source = oneLine(company);
  return crossBoxText(`${authorLabel(author)} (${source}): ${text}`, source);
}

/** The company our comments name in the partner's box: the one set in the settings, else the own box's host. */
export function ownCompanyLabel(ownBox: OwnBoxSettings): string {
  return ownBox.companyName?.trim() || new URL(ownBox.url).host;
}

/** Where the next read starts: after what was read, but before the first comment still in doubt. */
function cursorAfter(read: Comment[], inDoubt: ReadonlySet<string>, previous?: string): string | undefined {
  let cursor = previous;
  for (const comment of read) {
    if (inDoubt.has(comment.id)) break;
    cursor = comment.id;
  }
  return cursor;
}

export type Decision = 'share' | 'private' | 'filtered';

/** What is on record for one outbound comment when its write is about to start. */
export interface ChoicesOnRecord {
  /** The author's pictogram choice for this very comment. */
  comment?: CommentChoice;
  /** What the order page's pictogram showed last: the choice its next comment gets. */
  composer?: ComposerChoice;
  /** User ids of the own box that order pages showed as the person using the extension. */
  ownUsers: ReadonlySet<string>;
}

/**
 * An outbound comment's fate, in this order:
 * 1. the author's choice bound to this comment (its id and author) decides;
 * 2. a colleague's comment (an author we know is not the extension's user) follows the
 *    client-visible filter when it is on, and is shared when it is off;
 * 3. the user's own comment, or one whose author we cannot tell, follows the order page's
 *    pictogram as it last stood, else `shareByDefault`, and must pass the filter too.
 * Nothing else shares: a choice bound to another author than the comment's keeps it private.
 */
export function decideOutbound(
  comment: { authorId: string | null; clientVisible: boolean | null },
  onRecord: ChoicesOnRecord,
  rules: { shareByDefault: boolean; onlyClientVisible: boolean },
): Decision {
  const bound = onRecord.comment;
  if (bound) {
    const otherAuthor = bound.authorId !== undefined && comment.authorId !== null && bound.authorId !== comment.authorId;
    return bound.share && !otherAuthor ? 'share' : 'private';
  }
  const passesFilter = !rules.onlyClientVisible || comment.clientVisible === true;
  const byColleague = comment.authorId !== null && onRecord.ownUsers.size > 0 && !onRecord.ownUsers.has(comment.authorId);
  if (byColleague) return passesFilter ? 'share' : 'filtered';
  const wanted = onRecord.composer ? onRecord.composer.share : rules.shareByDefault;
  if (!wanted) return 'private';
  return passesFilter ? 'share' : 'filtered';
}

function clients(ctx: SyncContext, link: LinkRecord): { own: OneBoxClient; remote: OneBoxClient; partner: PartnerSettings } {
  const partner = partnerOf(ctx.settings, link.partnerId);
  return { own: ctx.clientFor(ownBoxOf(ctx.settings)), remote: ctx.clientFor(partnerBox(partner)), partner };
}

/** The hold window: the time a new comment waits for its author's choice, never under the floor. */
export function holdMs(ctx: SyncContext): number {
  return Math.max(MIN_HOLD_SECONDS, ctx.settings.preferences.holdSeconds) * 1000;
}

export type Side = 'local' | 'remote';
export const BOTH_SIDES: readonly Side[] = ['local', 'remote'];

export interface PollOptions {
  /** The sides to read (default both): change detection or an open page may ask for one. */
  sides?: readonly Side[];
  /**
   * Change detection watches both of the link's boxes: after a read of both sides the next one
   * waits for it (no `nextPollAt`), instead of per-link polling's slowing pace.
   */
  covered?: boolean;
}

/**
 * Reads what is new on one link's sides and queues it. Returns how many comments were
 * new (0 makes the link's next poll later). Outbound comments are queued undecided: their fate
 * is settled when their write starts (`claimCopy`), so a choice made during the hold counts.
 */
export async function pollLink(ctx: SyncContext, id: string, options: PollOptions = {}): Promise<number> {
  const link = await ctx.db.get('links', id);
  if (!link || link.state !== 'linked' || !link.remoteOrderId) return 0;
  const { own, remote, partner } = clients(ctx, link);
  const sides = options.sides ?? BOTH_SIDES;
  const read = (side: Side, run: () => Promise<Comment[]>) => (sides.includes(side) ? run() : Promise.resolve([]));
  // Each side is read on its own: a partner box that is down must not keep our new comments
  // from being queued (in order) meanwhile, and the other way round.
  const [localRead, remoteRead] = await Promise.allSettled([
    read('local', () => own.listComments(link.localOrderId, link.localCursor)),
    read('remote', () => remote.listComments(link.remoteOrderId!, link.remoteCursor)),
  ]);
  const local = localRead.status === 'fulfilled' ? localRead.value : [];
  const remoteNew = remoteRead.status === 'fulfilled' ? remoteRead.value : [];
  const now = ctx.now();
  const company = ownCompanyLabel(ownBoxOf(ctx.settings));

  const tx = ctx.db.transaction(['links', 'comments', 'outbox', 'history'], 'readwrite');
  const records = tx.objectStore('comments');
  const outbox = tx.objectStore('outbox');
  // The order's copies are those of all its links: a comment copied in from another partner is
  // not the order's own and must not be relayed to this one (their outbound writes go elsewhere).
  const siblings = (await tx.objectStore('links').index('byOrder').getAll(link.localOrderId)).map((l) => l.id);
  const inFlight = (await Promise.all(siblings.map((s) => outbox.index('byLink').getAll(s)))).flat().filter(
    (job): job is CommentJob => isCommentJob(job) && job.inFlightSince !== undefined && (job.linkId === id || job.kind === 'comment-in'),
  );
  // A copy whose write may have landed unrecorded is ours, not new: its job will find it. Until
  // that job has recorded it the cursor stays before it, so a person's comment that only looks
  // like it is read again later instead of being passed over for good.
  const maybeOurs = { 'comment-in': new Set<string>(), 'comment-out': new Set<string>() };
  const isOurCopy = (kind: CommentJob['kind'], comment: Comment) => {
    const ours = inFlight.some((job) => job.kind === kind && sameText(job.text, comment.content));
    if (ours) maybeOurs[kind].add(comment.id);
    return ours;
  };
  const copiedByAnotherLink = async (commentId: string) => {
    for (const sibling of siblings) {
      if (sibling !== id && (await records.get(commentKey(sibling, 'local', commentId)))?.role === 'copy') return true;
    }
    return false;
  };
  const base = { linkId: id, state: 'pending' as const, attempts: 0, createdAt: now };
  let fresh = 0;

  for (const comment of local) {
    const key = commentKey(id, 'local', comment.id);
    if ((await records.get(key)) || isOurCopy('comment-in', comment) || (await copiedByAnotherLink(comment.id))) continue;
    fresh += 1;
    await records.put({ key, linkId: id, side: 'local', commentId: comment.id, role: 'original', state: 'queued', at: now });
    await outbox.add({
      ...base, kind: 'comment-out', lane: lanes.out(id), sourceId: comment.id, sourceText: comment.content,
      text: attributed(comment.authorName, company, comment.content), notBefore: now + holdMs(ctx),
      authorId: comment.authorId, clientVisible: comment.clientVisible,
    });
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
    } else {
      await recordHistory(tx.objectStore('history'), { linkId: id, at: now, event: 'comment-filtered', excerpt: excerptOf(comment.content), inbound: true });
    }
  }
  const current = (await tx.objectStore('links').get(id)) ?? link;
  // Only a read of both sides sets the pace: a read of one (change detection, an open page) leaves it.
  const quietPolls = fresh > 0 ? 0 : (current.quietPolls ?? 0) + (sides.length === 2 ? 1 : 0);
  const { nextPollAt: _due, ...rest } = current;
  const nextPollAt = sides.length < 2 ? current.nextPollAt : options.covered ? undefined : now + quietDelay(quietPolls);
  await tx.objectStore('links').put({
    ...rest,
    localCursor: cursorAfter(local, maybeOurs['comment-in'], current.localCursor),
    remoteCursor: cursorAfter(remoteNew, maybeOurs['comment-out'], current.remoteCursor),
    lastSyncAt: now,
    quietPolls,
    ...(nextPollAt !== undefined ? { nextPollAt } : {}),
    ...(sides.includes('remote') ? { remoteReadAt: now } : {}),
  });
  await tx.done;
  // What was read is queued; now say why the rest was not (the caller records it on the link).
  for (const read of [localRead, remoteRead]) {
    if (read.status === 'rejected') throw read.reason;
  }
  return fresh;
}

/** The choices that bear on one outbound comment, read inside the caller's transaction. */
async function choicesFor(store: { get(key: string): Promise<ChoiceRecord | undefined>; index(name: 'byKind'): { getAll(kind: string): Promise<ChoiceRecord[]> } }, localOrderId: string, commentId: string): Promise<ChoicesOnRecord> {
  const comment = await store.get(choiceKey.comment(localOrderId, commentId));
  const composer = await store.get(choiceKey.composer(localOrderId));
  const viewers = await store.index('byKind').getAll('viewer');
  return {
    ...(comment?.kind === 'comment' ? { comment } : {}),
    ...(composer?.kind === 'composer' ? { composer } : {}),
    ownUsers: new Set(viewers.flatMap((v) => (v.kind === 'viewer' ? [v.userId] : []))),
  };
}

interface Claimed {
  job: CommentJob;
  link: LinkRecord & { remoteOrderId: string };
  /** When this job's earlier write started, if it had one: that write may still land. */
  earlierWriteAt?: number;
}

/**
 * The claim of a comment job: its comment is read again, an outbound one is decided (a private
 * one never leaves, and its job goes), and the write is marked as started, all in one
 * transaction. A switch to private lands before or after it, never between decision and write.
 */
async function claimCopy(ctx: SyncContext, ran: CommentJob): Promise<Claimed | null> {
  return claimJob(ctx.db, ran, ['links', 'comments', 'choices', 'history'], async (job, tx) => {
    const link = await tx.objectStore('links').get(job.linkId);
    if (!link || link.state !== 'linked' || !link.remoteOrderId) return null;
    const outbox = tx.objectStore('outbox');
    const records = tx.objectStore('comments');
    const now = ctx.now();
    const source = await records.get(commentKey(link.id, job.kind === 'comment-out' ? 'local' : 'remote', job.sourceId));
    const started = job.inFlightSince;
    if (started === undefined && job.kind === 'comment-out') {
      const partner = partnerOf(ctx.settings, link.partnerId);
      const decision = source?.state === 'private'
        ? 'private'
        : decideOutbound(
          { authorId: job.authorId ?? null, clientVisible: job.clientVisible ?? null },
          await choicesFor(tx.objectStore('choices'), link.localOrderId, job.sourceId),
          { shareByDefault: ctx.settings.preferences.shareByDefault, onlyClientVisible: partner.syncOnlyClientVisibleComments },
        );
      if (decision !== 'share') {
        await outbox.delete(job.seq!);
        if (source) await records.put({ ...source, state: decision === 'private' ? 'private' : 'skipped', at: now });
        const excerpt = excerptOf(job.sourceText);
        await recordHistory(tx.objectStore('history'), decision === 'private'
          ? { linkId: link.id, at: now, event: 'comment-private', excerpt }
          : { linkId: link.id, at: now, event: 'comment-filtered', excerpt, inbound: false });
        return null;
      }
    }
    const target = job.kind === 'comment-out' ? link.remoteCursor : link.localCursor;
    const claimed: CommentJob = { ...job, inFlightSince: started ?? now, ...(started === undefined && target ? { targetFloor: target } : {}) };
    await outbox.put(claimed);
    return { job: claimed, link: link as Claimed['link'], ...(started !== undefined ? { earlierWriteAt: started } : {}) };
  });
}

/** Records the copy and marks its original done, from what is stored now. */
function settleCopy(ctx: SyncContext, claimed: Claimed, copyId: string): Promise<void> {
  const { job, link } = claimed;
  const targetSide = job.kind === 'comment-out' ? 'remote' : 'local';
  return settleJob(ctx.db, job, ['comments', 'history'], async (tx) => {
    const records = tx.objectStore('comments');
    const now = ctx.now();
    await recordHistory(tx.objectStore('history'), { linkId: link.id, at: now, event: job.kind === 'comment-out' ? 'comment-sent' : 'comment-received', excerpt: excerptOf(job.sourceText) });
    await records.put({ key: commentKey(link.id, targetSide, copyId), linkId: link.id, side: targetSide, commentId: copyId, role: 'copy', state: job.kind === 'comment-out' ? 'sent' : 'received', counterpartId: job.sourceId, at: now });
    const source = await records.get(commentKey(link.id, targetSide === 'remote' ? 'local' : 'remote', job.sourceId));
    if (source) await records.put({ ...source, state: 'sent', counterpartId: copyId, at: now });
  });
}

/** Copies one comment to the other box, exactly once. */
async function copyComment(ctx: SyncContext, ran: CommentJob): Promise<void | Deferred> {
  const claimed = await claimCopy(ctx, ran);
  if (!claimed) return;
  const { job, link, earlierWriteAt } = claimed;
  const { own, remote } = clients(ctx, link);
  const [target, targetOrderId, targetSide] = job.kind === 'comment-out'
    ? [remote, link.remoteOrderId, 'remote' as const]
    : [own, link.localOrderId, 'local' as const];

  let copyId: string | undefined;
  if (earlierWriteAt !== undefined) {
    // An earlier try may have written it and lost the answer. Look only once that write can no
    // longer arrive, and then among the copies nobody has recorded yet.
    const settled = earlierWriteAt + IN_FLIGHT_SETTLE_MS;
    if (!job.writeEnded && ctx.now() < settled) return { retryAt: settled };
    const after = await target.listComments(targetOrderId, job.targetFloor);
    for (const comment of after) {
      if (!sameText(comment.content, job.text)) continue;
      if (await ctx.db.get('comments', commentKey(link.id, targetSide, comment.id))) continue;
      copyId = comment.id;
      break;
    }
    // Not there: this attempt writes it, and is the one a later look waits for.
    if (copyId === undefined) await ctx.db.put('outbox', withoutWriteEnded({ ...job, inFlightSince: ctx.now() }));
  }
  try {
    copyId ??= await target.addComment(targetOrderId, job.text, job.kind === 'comment-out');
  } catch (error) {
    // The box answered (if only with an error, or a cut-off body): this write is over and cannot
    // land later, so the next try may look for it at once. A timeout or a connection lost before
    // any answer is not an answer: the box may still act on the request.
    const unanswered = isOneBoxError(error) && (error.messageKey === 'error_timeout' || error.messageKey === 'error_network');
    const stored = (await ctx.db.get('outbox', job.seq!)) as CommentJob | undefined;
    if (!unanswered && stored) await ctx.db.put('outbox', { ...stored, writeEnded: true });
    throw error;
  }
  await settleCopy(ctx, claimed, copyId);
}

function withoutWriteEnded(job: CommentJob): CommentJob {
  const { writeEnded: _ended, ...rest } = job;
  return rest;
}

export const commentRunners = (ctx: SyncContext) => ({
  'comment-out': (job: CommentJob<'comment-out'>) => copyComment(ctx, job),
  'comment-in': (job: CommentJob<'comment-in'>) => copyComment(ctx, job),
});

/** Brings the next read of an order's links forward, so a choice just made is acted on soon. */
async function pollSoon(db: SyncDb, localOrderId: string, now: number): Promise<void> {
  const tx = db.transaction('links', 'readwrite');
  for (const link of await tx.store.index('byOrder').getAll(localOrderId)) {
    if (link.state === 'linked') await tx.store.put({ ...link, nextPollAt: now });
  }
  await tx.done;
}

/**
 * What an order page's pictogram shows now: the choice its next comment gets, and the user the
 * page shows as signed in. Kept until the page says otherwise, however long that is.
 */
export async function recordComposerChoice(ctx: SyncContext, localOrderId: string, share: boolean, viewerId?: string): Promise<void> {
  const now = ctx.now();
  const tx = ctx.db.transaction('choices', 'readwrite');
  await tx.store.put({ kind: 'composer', key: choiceKey.composer(localOrderId), localOrderId, share, at: now });
  if (viewerId) await tx.store.put({ kind: 'viewer', key: choiceKey.viewer(viewerId), userId: viewerId, at: now });
  await tx.done;
  await pollSoon(ctx.db, localOrderId, now);
}

/** The pictogram's state an order page starts with: as it was last left, else the default. */
export async function composerChoiceOf(ctx: SyncContext, localOrderId: string): Promise<boolean> {
  const record = await ctx.db.get('choices', choiceKey.composer(localOrderId));
  return record?.kind === 'composer' ? record.share : ctx.settings.preferences.shareByDefault;
}

export type ChoiceOutcome = 'recorded' | 'already-sent';

/**
 * The author's choice for one comment of the page's list, by its id and author. A switch to
 * private takes the comment's waiting jobs away at once, on every link of the order; if a
 * write has already started on one of them, the answer is `already-sent`. Once a comment is
 * private it stays private.
 */
export async function recordCommentChoice(
  ctx: SyncContext, localOrderId: string, commentId: string, share: boolean, authorId?: string,
): Promise<ChoiceOutcome> {
  const now = ctx.now();
  const tx = ctx.db.transaction(['choices', 'links', 'outbox', 'comments', 'history'], 'readwrite');
  const choices = tx.objectStore('choices');
  const key = choiceKey.comment(localOrderId, commentId);
  const earlier = await choices.get(key);
  const keepsPrivate = earlier?.kind === 'comment' && !earlier.share;
  await choices.put({ kind: 'comment', key, localOrderId, commentId, share: share && !keepsPrivate, at: now, ...(authorId ? { authorId } : {}) });
  if (authorId) await choices.put({ kind: 'viewer', key: choiceKey.viewer(authorId), userId: authorId, at: now });
  let outcome: ChoiceOutcome = 'recorded';
  if (!share) {
    const outbox = tx.objectStore('outbox');
    const records = tx.objectStore('comments');
    for (const link of await tx.objectStore('links').index('byOrder').getAll(localOrderId)) {
      const job = (await outbox.index('byLink').getAll(link.id)).find(
        (j): j is CommentJob<'comment-out'> => j.kind === 'comment-out' && j.sourceId === commentId,
      );
      const record = await records.get(commentKey(link.id, 'local', commentId));
      if (job?.inFlightSince !== undefined || (!job && record?.state === 'sent')) {
        outcome = 'already-sent';
        continue;
      }
      if (job) await outbox.delete(job.seq!);
      if (record && record.state === 'queued') {
        await records.put({ ...record, state: 'private', at: now });
        await recordHistory(tx.objectStore('history'), { linkId: link.id, at: now, event: 'comment-private', excerpt: job ? excerptOf(job.sourceText) : '' });
      }
    }
  }
  await tx.done;
  await pollSoon(ctx.db, localOrderId, now);
  return outcome;
}
