// When links are polled and jobs run: one pass polls every link whose turn has come, then runs
// every due job. Quiet links are polled less and less often, so many idle links cost little.
import { pollLink, quietDelay } from './comments';
import type { SyncContext } from './context';
import type { LinkRecord } from './db';
import { createRunners } from './engine';
import { drainOutbox, toItemError, type DrainResult } from './outbox';

/** Polls one link; a box that fails makes the link say why and wait longer. Returns its next turn. */
export async function pollOne(ctx: SyncContext, link: LinkRecord): Promise<number> {
  try {
    await pollLink(ctx, link.id);
    const polled = await ctx.db.get('links', link.id);
    if (polled?.error) {
      const { error: _recovered, ...rest } = polled;
      await ctx.db.put('links', rest);
    }
    return polled?.nextPollAt ?? ctx.now() + quietDelay(0);
  } catch (error) {
    // Build on what the poll may have recorded (a side that was read advanced its cursor).
    const current = (await ctx.db.get('links', link.id)) ?? link;
    const failures = (current.quietPolls ?? 0) + 1;
    const next = ctx.now() + quietDelay(Math.min(failures, 3));
    await ctx.db.put('links', { ...current, error: toItemError(error, ctx.now()), quietPolls: failures, nextPollAt: next });
    return next;
  }
}

/** Polls every linked order whose turn has come; returns the earliest next turn. */
export async function pollDueLinks(ctx: SyncContext): Promise<number | null> {
  let next: number | null = null;
  for (const link of await ctx.db.getAllFromIndex('links', 'byState', 'linked')) {
    const due = (link.nextPollAt ?? 0) <= ctx.now() ? await pollOne(ctx, link) : link.nextPollAt!;
    next = next === null ? due : Math.min(next, due);
  }
  return next;
}

/** One pass of the sync; `nextAt` is when the next poll or job is due (null: nothing waits). */
export async function syncPass(ctx: SyncContext): Promise<{ nextAt: number | null; drained: DrainResult }> {
  const nextPoll = await pollDueLinks(ctx);
  const drained = await drainOutbox(ctx.db, createRunners(ctx), { now: ctx.now, random: Math.random });
  const next = [nextPoll, drained.nextDueAt].filter((at): at is number => at !== null);
  return { nextAt: next.length > 0 ? Math.min(...next) : null, drained };
}
