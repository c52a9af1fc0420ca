// When links are polled and jobs run: one pass runs due jobs, polls every link whose turn has
// come (running jobs between polls), checks auto-send rules on their own turn, then runs jobs
// again. Quiet links are polled less and less often, so many idle links cost little.
import { pollLink, quietDelay } from './comments';
import type { SyncContext } from './context';
import { audit, type LinkRecord } from './db';
import { checkAutoSend, createRunners } from './engine';
import { drainOutbox, toItemError, type DrainResult } from './outbox';

/** Polls one link; a box that fails makes the link say why and wait longer. */
export async function pollOne(ctx: SyncContext, link: LinkRecord): Promise<{ nextAt: number; fresh: number }> {
  try {
    const fresh = await pollLink(ctx, link.id);
    const polled = await ctx.db.get('links', link.id);
    if (polled?.error) {
      const { error: _recovered, ...rest } = polled;
      await ctx.db.put('links', rest);
    }
    return { nextAt: polled?.nextPollAt ?? ctx.now() + quietDelay(0), fresh };
  } catch (error) {
    // Build on what the poll may have recorded (a side that was read advanced its cursor).
    const current = (await ctx.db.get('links', link.id)) ?? link;
    const failures = (current.quietPolls ?? 0) + 1;
    const nextAt = ctx.now() + quietDelay(Math.min(failures, 3));
    await ctx.db.put('links', { ...current, error: toItemError(error, ctx.now()), quietPolls: failures, nextPollAt: nextAt });
    return { nextAt, fresh: 0 };
  }
}

/** A delivery never waits behind a poll burst longer than this. */
const DELIVER_BETWEEN_POLLS_MS = 1_000;
/** How often auto-send rules look for orders in their stage. */
export const AUTO_SEND_EVERY_MS = 60_000;

/**
 * Polls every linked order whose turn has come; returns the earliest next turn. `deliver` runs
 * between polls whenever a poll found something or a second has gone by since it last ran.
 */
export async function pollDueLinks(ctx: SyncContext, deliver: () => Promise<unknown> = async () => {}): Promise<number | null> {
  let next: number | null = null;
  let deliveredAt = ctx.now();
  for (const link of await ctx.db.getAllFromIndex('links', 'byState', 'linked')) {
    let due = link.nextPollAt ?? 0;
    if (due <= ctx.now()) {
      const polled = await pollOne(ctx, link);
      due = polled.nextAt;
      if (polled.fresh > 0 || ctx.now() - deliveredAt >= DELIVER_BETWEEN_POLLS_MS) {
        await deliver();
        deliveredAt = ctx.now();
      }
    }
    next = next === null ? due : Math.min(next, due);
  }
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
    await audit(ctx.db, { event: 'auto-send-failed', detail: toItemError(error, ctx.now()).messageKey });
  }
  return nextAt;
}

/**
 * One pass of the sync: due deliveries first (a queued comment never waits for a burst of
 * polls), polls of due links with deliveries in between, auto-send when its turn has come, then
 * what the polls queued. `nextAt` is when the next poll, job or rule is due (null: nothing waits).
 */
export async function syncPass(ctx: SyncContext): Promise<{ nextAt: number | null; drained: DrainResult }> {
  const runners = createRunners(ctx);
  const deliver = () => drainOutbox(ctx.db, runners, { now: ctx.now, random: Math.random });
  await deliver();
  const nextPoll = await pollDueLinks(ctx, deliver);
  const nextAutoSend = await autoSendTurn(ctx);
  const drained = await deliver();
  const next = [nextPoll, nextAutoSend, drained.nextDueAt].filter((at): at is number => at !== null);
  return { nextAt: next.length > 0 ? Math.min(...next) : null, drained };
}
