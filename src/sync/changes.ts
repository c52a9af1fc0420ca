// Change detection: instead of reading every linked order on its own, one read per box (and per
// 500 linked orders) tells which of them changed since they were last read, and only those
// sides are read in full. Two ways, as the box's dialect says (`changes`):
// - `comments-batch`: the newest comments of all its linked orders (`orderid` as a list); a side
//   changed when it has a comment after its cursor that the sync has no record of;
// - `udate-sorted` and `udate`: the change dates of all its linked orders; a side changed when
//   its date moved since it was last read in full, and is read at the next look (the date counts
//   seconds: a comment written in the second of a read would not move it again). Our own copies
//   move it too: one read more for each. A box that sorts by `udate` gives them in one read of
//   its most recently changed orders, as long as that read reaches back past the last look;
//   otherwise, and with `udate`, they are read by the linked orders' ids, 500 to a read.
// A box with neither (`per-link`), or whose last look failed, has its links polled one by one
// instead (comments.ts, `quietDelay`).
import { compareIds, parseBoxDate, type Comment, type OneBoxClient } from '../onebox';
import { ownBoxOf, partnerBox, type SyncContext } from './context';
import type { Side } from './comments';
import { commentKey, type ChangesRecord, type LinkRecord, type SideDates } from './db';

/** How often each box is looked at: the longest a change waits, page closed. */
export const DETECT_EVERY_MS = 60_000;
/** Orders named in one read: as many as one page of the answer holds comments. */
const ORDERS_PER_READ = 500;

/** One box as change detection sees it: the client, and which side of which links it holds. */
interface WatchedBox {
  key: ChangesRecord['key'];
  client: OneBoxClient;
  side: Side;
  links: LinkRecord[];
}

/** A side of a link that changed since it was last read. */
export interface Changed {
  linkId: string;
  side: Side;
  /** The change date (`udate` boxes) that a read of the side now is known to include: stored once it is read. */
  udate?: string;
}

export interface Detection {
  /** Sides to read in full now. */
  changed: Changed[];
  /** Boxes whose last look worked (`own`, and partners' ids): their links need no per-link polling. */
  covered: Set<string>;
  /** The next look at any box. */
  nextAt: number | null;
}

const orderOf = (link: LinkRecord, side: Side) => (side === 'local' ? link.localOrderId : link.remoteOrderId!);
const ownCoverKey = 'own';

/** The boxes holding linked orders: the own box, and each partner's box. */
function watchedBoxes(ctx: SyncContext, links: LinkRecord[]): WatchedBox[] {
  if (links.length === 0) return [];
  const boxes: WatchedBox[] = [{ key: 'changes own', client: ctx.clientFor(ownBoxOf(ctx.settings)), side: 'local', links }];
  for (const partner of ctx.settings.partners) {
    const theirs = links.filter((link) => link.partnerId === partner.id);
    if (theirs.length > 0) boxes.push({ key: `changes partner ${partner.id}`, client: ctx.clientFor(partnerBox(partner)), side: 'remote', links: theirs });
  }
  return boxes;
}

/** Whether a link is covered: both its boxes were looked at successfully. */
export function isCovered(detection: Pick<Detection, 'covered'>, link: LinkRecord): boolean {
  return detection.covered.has(ownCoverKey) && detection.covered.has(link.partnerId);
}

/**
 * Looks at every box whose turn has come. A look that fails (the box is down, the answer is not
 * as asked) is recorded: that box's links are polled one by one until a look works again.
 */
export async function detectChanges(ctx: SyncContext, links: LinkRecord[]): Promise<Detection> {
  const detection: Detection = { changed: [], covered: new Set(), nextAt: null };
  for (const box of watchedBoxes(ctx, links)) {
    const coverKey = box.side === 'local' ? ownCoverKey : box.key.slice('changes partner '.length);
    const state = await ctx.db.get('meta', box.key);
    const last = state?.key === box.key ? (state as ChangesRecord) : undefined;
    let next: ChangesRecord | undefined = last;
    if (!last || last.nextAt <= ctx.now()) {
      next = await look(ctx, box, last, detection.changed);
      await ctx.db.put('meta', next);
    }
    if (next?.working) detection.covered.add(coverKey);
    if (next) detection.nextAt = Math.min(detection.nextAt ?? next.nextAt, next.nextAt);
  }
  return detection;
}

async function look(ctx: SyncContext, box: WatchedBox, last: ChangesRecord | undefined, changed: Changed[]): Promise<ChangesRecord> {
  const nextAt = ctx.now() + DETECT_EVERY_MS;
  try {
    const how = await box.client.changeDetection();
    if (how === 'per-link') return { key: box.key, nextAt, working: false };
    const byOrder = new Map<string, LinkRecord[]>();
    for (const link of box.links) byOrder.set(orderOf(link, box.side), [...(byOrder.get(orderOf(link, box.side)) ?? []), link]);
    const orders = [...byOrder.keys()];
    if (how === 'udate' || how === 'udate-sorted') {
      const { dates, newest } = await currentDates(box, how, byOrder, last?.newestUdate);
      changed.push(...(await movedDates(ctx, box, byOrder, dates)));
      return { key: box.key, nextAt, working: true, ...(newest !== undefined ? { newestUdate: newest } : {}) };
    }
    let cursor = last?.cursor;
    for (let from = 0; from < orders.length; from += ORDERS_PER_READ) {
      const asked = orders.slice(from, from + ORDERS_PER_READ);
      const { comments, full } = await box.client.listCommentsOfOrders(asked);
      // A full page that does not reach back to the last look may have left changes out: then
      // every order of this read is read in full.
      const missed = full && (last?.cursor === undefined || (comments[0] !== undefined && compareIds(comments[0].id, last.cursor) > 0));
      const links = missed ? asked.flatMap((id) => byOrder.get(id)!) : await gainedComments(ctx, byOrder, box.side, comments);
      changed.push(...links.map((link) => ({ linkId: link.id, side: box.side })));
      const newest = comments.at(-1)?.id;
      if (newest !== undefined && (cursor === undefined || compareIds(newest, cursor) > 0)) cursor = newest;
    }
    return { key: box.key, nextAt, working: true, ...(cursor !== undefined ? { cursor } : {}) };
  } catch {
    // The links say why when they are polled one by one (each poll records its failure).
    return { ...last, key: box.key, nextAt, working: false };
  }
}

/**
 * The linked orders' change dates now, by order id; an order left out kept the date on record.
 * With `udate-sorted`, one read of the box's latest changes (any orders): when it reaches back
 * past the newest date the last look saw (strictly older, or the box has no more orders), every
 * order changed since is in it. Orders with no date on record, and all of them when that read
 * does not reach back (or with `udate`), are read by id; one the box does not give has no date
 * (`null`). `newest`: the newest date of the box this look saw.
 */
async function currentDates(box: WatchedBox, how: 'udate' | 'udate-sorted', byOrder: Map<string, LinkRecord[]>, since: string | undefined): Promise<{ dates: Map<string, string | null>; newest?: string }> {
  const dates = new Map<string, string | null>();
  let byId = [...byOrder.keys()];
  let newest: string | undefined;
  if (how === 'udate-sorted') {
    const latest = await box.client.recentChangeDates(ORDERS_PER_READ);
    newest = latest[0]?.udate ?? since;
    const oldest = parseBoxDate(latest.at(-1)?.udate);
    const after = parseBoxDate(since);
    const reachesBack = after !== null && (latest.length < ORDERS_PER_READ || (oldest !== null && oldest < after));
    if (reachesBack) {
      for (const { id, udate } of latest) if (byOrder.has(id)) dates.set(id, udate);
      byId = byId.filter((id) => !dates.has(id) && byOrder.get(id)!.some((link) => !link.udates?.[box.side]));
    }
  }
  for (let from = 0; from < byId.length; from += ORDERS_PER_READ) {
    const asked = byId.slice(from, from + ORDERS_PER_READ);
    const answered = new Map((await box.client.changeDates(asked)).map(({ id, udate }) => [id, udate]));
    for (const id of asked) dates.set(id, answered.get(id) ?? null);
  }
  return { dates, ...(newest !== undefined ? { newest } : {}) };
}

/**
 * Sides whose change date moved since they were last read, once the look that first saw the new
 * date is over: everything up to that date is in a read made now. A side with no dates on record
 * (its first look) takes the date it has now as read and is read by per-link polling's next
 * turn, so a first look at many links is spread like any burst; one the box gives no date for
 * is on record as dateless (''), so that it is not asked for by id at every look.
 */
async function movedDates(ctx: SyncContext, box: WatchedBox, byOrder: Map<string, LinkRecord[]>, now: Map<string, string | null>): Promise<Changed[]> {
  const moved: Changed[] = [];
  const updates = new Map<string, (link: LinkRecord) => LinkRecord>();
  const dates = (to: SideDates) => (current: LinkRecord): LinkRecord => ({ ...current, udates: { ...current.udates, [box.side]: to } });
  for (const [id, links] of byOrder) {
    for (const link of links) {
      const known = link.udates?.[box.side];
      const udate = now.has(id) ? now.get(id) ?? null : known?.seen;
      if (udate === null || udate === undefined) {
        if (!known && now.has(id)) updates.set(link.id, dates({ read: '', seen: '' }));
        continue;
      }
      if (!known) {
        const due = Math.min(link.nextPollAt ?? ctx.now(), ctx.now());
        updates.set(link.id, (current) => ({ ...dates({ read: udate, seen: udate })(current), nextPollAt: due }));
        continue;
      }
      if (known.seen !== known.read) moved.push({ linkId: link.id, side: box.side, udate: known.seen });
      if (known.seen !== udate) updates.set(link.id, dates({ ...known, seen: udate }));
    }
  }
  if (updates.size > 0) {
    const tx = ctx.db.transaction('links', 'readwrite');
    for (const [id, update] of updates) {
      const current = await tx.store.get(id);
      if (current) await tx.store.put(update(current));
    }
    await tx.done;
  }
  return moved;
}

/** Links with a comment after their cursor on this side that the sync has no record of (its own copies have one). */
async function gainedComments(ctx: SyncContext, byOrder: Map<string, LinkRecord[]>, side: Side, comments: Comment[]): Promise<LinkRecord[]> {
  const gained: LinkRecord[] = [];
  for (const comment of comments) {
    for (const link of byOrder.get(comment.orderId) ?? []) {
      const cursor = side === 'local' ? link.localCursor : link.remoteCursor;
      if (gained.includes(link) || (cursor !== undefined && compareIds(comment.id, cursor) <= 0)) continue;
      if (!(await ctx.db.get('comments', commentKey(link.id, side, comment.id)))) gained.push(link);
    }
  }
  return gained;
}
