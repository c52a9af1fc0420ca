// Wires the sync engine to the worker: the database, box clients whose tokens live in session
// storage, and the drain that runs the outbox now, on a timer while the worker is awake, and on
// the alarm that wakes a stopped worker.
import { createOneBoxClient, type KeyValueMemory, type OneBoxClient } from '../onebox';
import { alarms, badge, sessionStore } from '../platform/browser-api';
import { loadSettings } from '../settings/store';
import { audit, openSyncDb, type LinkRecord, type OutboxJob, type SyncDb } from '../sync/db';
import type { SyncContext } from '../sync/context';
import { checkAutoSend } from '../sync/engine';
import { singleFlight, toItemError } from '../sync/outbox';
import { pollOne, syncPass } from '../sync/scheduler';

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

/** Polls due links, then runs every due job; asks to be woken when the next one is due. */
export const runSync = singleFlight(async () => {
  const ctx = await syncContext();
  const { nextAt } = await syncPass(ctx);
  wakeAt(nextAt);
  await refreshBadge(ctx.db);
});

/**
 * What waits for the user, counted alike by the badge and the popup: jobs the outbox parked (a
 * failed send is one) and linked orders whose polling only a fix of the settings can mend.
 */
export const waitsForUser = {
  job: (job: OutboxJob): boolean => job.state === 'parked',
  poll: (link: LinkRecord): boolean => link.state === 'linked' && (link.error?.kind === 'auth' || link.error?.kind === 'config'),
};

export function countWaitingForUser(jobs: OutboxJob[], links: LinkRecord[]): number {
  return jobs.filter(waitsForUser.job).length + links.filter(waitsForUser.poll).length;
}

/** The toolbar badge counts the items that wait for the user. */
export async function refreshBadge(db: SyncDb): Promise<void> {
  const [jobs, links] = await Promise.all([db.getAll('outbox'), db.getAll('links')]);
  const waiting = countWaitingForUser(jobs, links);
  await badge.set(waiting > 0 ? String(waiting) : '', '#b3261e');
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
