// Wires the sync engine to the worker: the database, box clients whose tokens live in session
// storage, and the drain that runs the outbox now, on a timer while the worker is awake, and on
// the alarm that wakes a stopped worker.
import { createOneBoxClient, type KeyValueMemory, type OneBoxClient } from '../onebox';
import { alarms, badge, sessionStore } from '../platform/browser-api';
import { loadSettings } from '../settings/store';
import { pollLink, quietDelay } from '../sync/comments';
import { audit, openSyncDb, type LinkRecord, type SyncDb } from '../sync/db';
import type { SyncContext } from '../sync/context';
import { checkAutoSend, createRunners } from '../sync/engine';
import { drainOutbox, singleFlight, toItemError } from '../sync/outbox';

export const SYNC_ALARM = 'sync';
/** Chrome wakes a worker by alarm at most every 30 s; shorter waits use a timer while awake. */
const ALARM_PERIOD_MINUTES = 0.5;

const sessionMemory: KeyValueMemory = {
  get: async (key) => {
    const value = (await sessionStore.get(key))[key];
    return typeof value === 'string' ? value : undefined;
  },
  set: (key, value) => sessionStore.set({ [key]: value }),
  delete: (key) => sessionStore.remove(key),
};

// The open connection is a cache of a handle, not state: reopening after a restart is free.
let dbHandle: Promise<SyncDb> | null = null;
const database = (): Promise<SyncDb> => (dbHandle ??= openSyncDb());

export async function syncContext(): Promise<SyncContext> {
  return {
    db: await database(),
    settings: await loadSettings(),
    clientFor: (box): OneBoxClient => createOneBoxClient(box, { memory: sessionMemory }),
    now: () => Date.now(),
  };
}

let wakeTimer: ReturnType<typeof setTimeout> | undefined;

/** While the worker is awake, a timer runs the next due poll or job; the alarm covers the rest. */
function wakeAt(at: number | null): void {
  clearTimeout(wakeTimer);
  if (at !== null) wakeTimer = setTimeout(() => void runSync(), Math.max(100, at - Date.now()));
}

/** Polls one link; a box that fails makes the link say why and wait longer. Returns its next turn. */
async function pollOne(ctx: SyncContext, link: LinkRecord): Promise<number> {
  try {
    await pollLink(ctx, link.id);
    const polled = await ctx.db.get('links', link.id);
    if (polled?.error) {
      const { error: _recovered, ...rest } = polled;
      await ctx.db.put('links', rest);
    }
    return polled?.nextPollAt ?? ctx.now() + quietDelay(0);
  } catch (error) {
    const failures = (link.quietPolls ?? 0) + 1;
    const next = ctx.now() + quietDelay(Math.min(failures, 3));
    await ctx.db.put('links', { ...link, error: toItemError(error, ctx.now()), quietPolls: failures, nextPollAt: next });
    return next;
  }
}

/** Polls every linked order whose turn has come; returns the earliest next turn. */
async function pollDueLinks(ctx: SyncContext): Promise<number | null> {
  let next: number | null = null;
  for (const link of await ctx.db.getAllFromIndex('links', 'byState', 'linked')) {
    const due = (link.nextPollAt ?? 0) <= ctx.now() ? await pollOne(ctx, link) : link.nextPollAt!;
    next = next === null ? due : Math.min(next, due);
  }
  return next;
}

/** Polls due links, then runs every due job; asks to be woken when the next one is due. */
export const runSync = singleFlight(async () => {
  const ctx = await syncContext();
  const nextPoll = await pollDueLinks(ctx);
  const result = await drainOutbox(ctx.db, createRunners(ctx));
  const next = [nextPoll, result.nextDueAt].filter((at): at is number => at !== null);
  wakeAt(next.length > 0 ? Math.min(...next) : null);
  await showFailures(ctx);
  return result;
});

/** The toolbar badge counts the items that wait for the user. */
async function showFailures(ctx: SyncContext): Promise<void> {
  const parked = (await ctx.db.getAll('outbox')).filter((job) => job.state === 'parked').length;
  await badge.set(parked > 0 ? String(parked) : '', '#b3261e');
}

/**
 * A page of this order is open and visible: its links are polled now (so the page sees its
 * new comments' states at once) and kept quick; the jobs run in the background.
 */
export async function markOrderActive(ctx: SyncContext, localOrderId: string): Promise<void> {
  for (const link of await ctx.db.getAllFromIndex('links', 'byOrder', localOrderId)) {
    if (link.state === 'linked') await pollOne(ctx, { ...link, quietPolls: 0 });
  }
  void runSync();
}

/** The periodic cycle: auto-send rules, then polls and the outbox. */
export async function syncCycle(): Promise<void> {
  const ctx = await syncContext();
  try {
    await checkAutoSend(ctx);
  } catch (error) {
    await audit(ctx.db, { event: 'auto-send-failed', detail: toItemError(error, ctx.now()).messageKey });
  } finally {
    await runSync();
  }
}

export function ensureSyncAlarm(): Promise<void> {
  return alarms.create(SYNC_ALARM, ALARM_PERIOD_MINUTES);
}
