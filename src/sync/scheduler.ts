// When links are read and jobs run: one pass runs due jobs, looks at each box for changed
// linked orders (changes.ts), reads the sides that changed, those an open page shows, and the
// links that change detection cannot watch (polled one by one, less and less often while
// quiet), running jobs between reads; then the linked orders' stage and mapped fields
// (order-state.ts) and auto-send rules, each on its own turn, then jobs again.
import { keyedErrorData } from '../errors/keyed-error';
import { BOTH_SIDES, pollLink, quietDelay, type PollOptions, type Side } from './comments';
import { detectChanges, isCovered, type Changed, type Detection } from './changes';
import type { SyncContext } from './context';
import type { LinkRecord } from './db';
import { addHistory, recordHistory, WORKER_EVENTS } from './history';
import { checkAutoSend, createRunners } from './engine';
import { readOrderStates } from './order-state';
import { drainOutbox, toItemError, type DrainResult } from './outbox';

/** Reads one link; a box that fails makes the link say why and wait longer. */
export async function pollOne(ctx: SyncContext, link: LinkRecord, options: PollOptions = {}): Promise<{ link: LinkRecord; fresh: number }> {
  try {
    const fresh = await pollLink(ctx, link.id, options);
    let polled = (await ctx.db.get('links', link.id)) ?? link;
    if (polled.error) {
      const { error: _recovered, ...rest } = polled;
      polled = rest;
      await ctx.db.put('links', polled);
    }
    return { link: polled, fresh };
  } catch (error) {
    // Build on what the poll may have recorded (a side that was read advanced its cursor).
    const tx = ctx.db.transaction(['links', 'history'], 'readwrite');
    const current = (await tx.objectStore('links').get(link.id)) ?? link;
    const failures = (current.quietPolls ?? 0) + 1;
    const failed = { ...current, error: toItemError(error, ctx.now()), quietPolls: failures, nextPollAt: ctx.now() + quietDelay(Math.min(failures, 3)) };
    await tx.objectStore('links').put(failed);
    // A box that stays down fails every read the same way: the history says it when it starts, or its reason changes.
    if (current.error?.messageKey !== failed.error.messageKey) {
      await recordHistory(tx.objectStore('history'), { linkId: link.id, at: ctx.now(), event: 'failed', subject: 'poll', error: keyedErrorData(error), retryAt: failed.nextPollAt });
    }
    await tx.done;
    return { link: failed, fresh: 0 };
  }
}

/** A delivery never waits behind a burst of reads longer than this. */
const DELIVER_BETWEEN_POLLS_MS = 1_000;
/** How often auto-send rules look for orders in their stage. */
export const AUTO_SEND_EVERY_MS = 60_000;
/** While an order page shows a link, its partner side is read this often. */
export const WATCH_EVERY_MS = 1_000;
/**
 * Links read one by one on their own schedule (not for an open page or a change found) in one
 * minute at most: a burst (every link due after a restart, a box whose detection stopped
 * working) is spread over the minutes after it. Per-link polling of 1,000 quiet links and a
 * few busy ones needs about 55 a minute, so this spreads a burst without starving them.
 */
export const ROUTINE_POLLS_PER_MINUTE = 60;

/** A page's refresh (every 3 s while visible) keeps its links watched this long. */
const PAGE_LEASE_MS = 5_000;

/**
 * An order page is open and visible: the order's links are read now (so the page sees its new
 * comments' states soon), and their partner side every second while the page keeps asking.
 */
export async function watchOrder(ctx: SyncContext, localOrderId: string): Promise<void> {
  const now = ctx.now();
  const tx = ctx.db.transaction('links', 'readwrite');
  for (const link of await tx.store.index('byOrder').getAll(localOrderId)) {
    if (link.state !== 'linked') continue;
    const due = link.nextPollAt === undefined || link.nextPollAt > now ? { quietPolls: 0, nextPollAt: now } : {};
    await tx.store.put({ ...link, ...due, watchedUntil: now + PAGE_LEASE_MS });
  }
  await tx.done;
}

/** When a link wants both sides read: per-link polling's next turn, or only what asked for it. */
function bothDueAt(link: LinkRecord, covered: boolean): number | undefined {
  return covered ? link.nextPollAt : (link.nextPollAt ?? 0);
}

/** When an open page wants the partner side read next; undefined when no page shows the link. */
function watchDueAt(link: LinkRecord, now: number): number | undefined {
  if ((link.watchedUntil ?? 0) <= now) return undefined;
  return Math.min((link.remoteReadAt ?? 0) + WATCH_EVERY_MS, link.watchedUntil!);
}

/** The routine polls' allowance of the current minute, kept in the database across passes. */
async function routineBudget(ctx: SyncContext) {
  const stored = await ctx.db.get('meta', 'poll-budget');
  let state = stored?.key === 'poll-budget' && ctx.now() - stored.since < 60_000 ? stored : { key: 'poll-budget' as const, since: ctx.now(), polls: 0 };
  return {
    take: () => {
      if (state.polls >= ROUTINE_POLLS_PER_MINUTE) return false;
      state = { ...state, polls: state.polls + 1 };
      return true;
    },
    resetAt: () => state.since + 60_000,
    save: () => ctx.db.put('meta', state),
  };
}

/** A side read in full without a failure is as recent as the change date its look found. */
async function withChangeDates(ctx: SyncContext, link: LinkRecord, found: Changed[]): Promise<LinkRecord> {
  const dates = found.filter((c) => c.udate !== undefined);
  if (link.error || dates.length === 0) return link;
  const updated = { ...link, udates: { ...link.udates } };
  for (const { side, udate } of dates) updated.udates[side] = { seen: udate!, ...updated.udates[side], read: udate! };
  await ctx.db.put('links', updated);
  return updated;
}

/**
 * Reads every linked order that is due: sides change detection found changed, the partner side
 * of links an open page shows, and links per-link polling has come to (within the minute's
 * allowance). Returns the earliest next turn. `deliver` runs between reads whenever one found
 * something or a second has gone by since it last ran.
 */
export async function pollDueLinks(ctx: SyncContext, deliver: () => Promise<unknown>, detection: Detection): Promise<number | null> {
  let next: number | null = null;
  const later = (at: number | undefined) => {
    if (at !== undefined) next = next === null ? at : Math.min(next, at);
  };
  let deliveredAt = ctx.now();
  const budget = await routineBudget(ctx);
  const changed = new Map<string, Changed[]>();
  for (const found of detection.changed) changed.set(found.linkId, [...(changed.get(found.linkId) ?? []), found]);
  // Longest due first: the minute's allowance goes to the links that waited longest.
  const links = (await ctx.db.getAllFromIndex('links', 'byState', 'linked')).sort((a, b) => (a.nextPollAt ?? 0) - (b.nextPollAt ?? 0));
  for (const link of links) {
    const covered = isCovered(detection, link);
    const now = ctx.now();
    const watchAt = watchDueAt(link, now);
    const found = changed.get(link.id);
    let sides: readonly Side[] | null = found?.map((c) => c.side) ?? ((watchAt ?? Infinity) <= now ? ['remote'] : null);
    let current = link;
    if ((bothDueAt(link, covered) ?? Infinity) <= now) {
      // A routine read waits for the minute's allowance; one an open page or a change asks for does not.
      if (watchAt === undefined && !found && !budget.take()) {
        later(budget.resetAt());
        continue;
      }
      sides = BOTH_SIDES;
    }
    if (sides) {
      const polled = await pollOne(ctx, link, { sides, covered });
      current = await withChangeDates(ctx, polled.link, found ?? []);
      if (polled.fresh > 0 || ctx.now() - deliveredAt >= DELIVER_BETWEEN_POLLS_MS) {
        await deliver();
        deliveredAt = ctx.now();
      }
    }
    later(bothDueAt(current, covered));
    later(watchDueAt(current, ctx.now()));
  }
  await budget.save();
  return next;
}

/** Auto-send rules have a turn of their own, and rules just changed are due at once; returns the next turn (null: no rules). */
async function autoSendTurn(ctx: SyncContext): Promise<number | null> {
  const rules = JSON.stringify(ctx.settings.partners.flatMap((p) => (p.autoSend ? [[p.id, p.autoSend]] : [])));
  if (rules === '[]') return null;
  const turn = await ctx.db.get('meta', 'auto-send');
  if (turn?.key === 'auto-send' && turn.rules === rules && turn.nextAt > ctx.now()) return turn.nextAt;
  // The next turn is written first: a box that fails waits for it, not for every pass.
  const nextAt = ctx.now() + AUTO_SEND_EVERY_MS;
  await ctx.db.put('meta', { key: 'auto-send', rules, nextAt });
  try {
    await checkAutoSend(ctx);
  } catch (error) {
    await addHistory(ctx.db, { linkId: WORKER_EVENTS, at: ctx.now(), event: 'failed', subject: 'auto-send', error: keyedErrorData(error), retryAt: nextAt });
  }
  return nextAt;
}

/**
 * One pass of the sync: due deliveries first (a queued comment never waits for a burst of
 * reads), change detection, reads of due links with deliveries in between, auto-send when its
 * turn has come, then what the reads queued. `nextAt` is when the next poll, job or rule is due (null: nothing waits).
 */
export async function syncPass(ctx: SyncContext): Promise<{ nextAt: number | null; drained: DrainResult }> {
  const runners = createRunners(ctx);
  const deliver = () => drainOutbox(ctx.db, runners, { now: ctx.now, random: Math.random });
  await deliver();
  const linked = () => ctx.db.getAllFromIndex('links', 'byState', 'linked').then((links) => links.filter((l) => l.remoteOrderId));
  const detection = await detectChanges(ctx, await linked());
  const nextPoll = await pollDueLinks(ctx, deliver, detection);
  const nextStates = await readOrderStates(ctx, await linked());
  const nextAutoSend = await autoSendTurn(ctx);
  const drained = await deliver();
  const next = [nextPoll, detection.nextAt, nextStates, nextAutoSend, drained.nextDueAt].filter((at): at is number => at !== null);
  return { nextAt: next.length > 0 ? Math.min(...next) : null, drained };
}
