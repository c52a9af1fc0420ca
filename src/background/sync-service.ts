// Wires the sync engine to the worker: the database, box clients whose tokens live in session
// storage, and the pass that runs now, on a timer while the worker is awake, and on the one
// alarm that wakes a stopped worker when the next thing is due.
import { keyedErrorData } from '../errors/keyed-error';
import { createOneBoxClient, type KeyValueMemory, type OneBoxClient } from '../onebox';
import { alarms, badge, localStore, sessionStore } from '../platform/browser-api';
import { loadSettings } from '../settings/store';
import { openSyncDb, type LinkRecord, type OutboxJob, type SyncDb, type WorkerStage } from '../sync/db';
import type { SyncContext } from '../sync/context';
import { addHistory, WORKER_EVENTS } from '../sync/history';
import { singleFlight, toItemError } from '../sync/outbox';
import { syncPass, watchOrder } from '../sync/scheduler';

export const SYNC_ALARM = 'sync';

type StorageArea = Pick<typeof localStore, 'get' | 'set' | 'remove'>;

/** A storage area as the client's memory; the area is looked up on each use, not at import. */
function memoryIn(area: () => StorageArea): KeyValueMemory {
  return {
    get: async (key) => {
      const value = (await area().get(key))[key];
      return typeof value === 'string' ? value : undefined;
    },
    set: (key, value) => area().set({ [key]: value }),
    delete: (key) => area().remove(key),
  };
}

const sessionMemory = memoryIn(() => sessionStore);

/**
 * Each box's discovered dialect, one `storage.local` key per origin (`onebox.dialect <origin>`):
 * it is about the box, not the sync's data, so it outlives a browser restart (unlike tokens in
 * session storage) without a schema upgrade of the database, and the client reads and writes it
 * through the same small memory interface as its tokens.
 */
export const dialectMemory = memoryIn(() => localStore);

// The open connection is a cache of a handle, not state: reopening after a restart is free.
let dbHandle: Promise<SyncDb> | null = null;
const database = (): Promise<SyncDb> => (dbHandle ??= openSyncDb());

export async function syncContext(): Promise<SyncContext> {
  return {
    db: await database(),
    settings: await loadSettings(),
    clientFor: (box): OneBoxClient => createOneBoxClient(box, { memory: sessionMemory, dialectMemory }),
    now: () => Date.now(),
  };
}

let wakeTimer: ReturnType<typeof setTimeout> | undefined;
/** A pass that failed as a whole (the database, say) is tried again after this. */
const AFTER_FAILURE_MS = 60_000;

/**
 * Asks to be woken when the next poll, job or rule is due: a timer while the worker is awake,
 * and one alarm (no fixed period) for a stopped worker. Nothing waiting: no alarm.
 */
async function wakeAt(at: number | null): Promise<void> {
  clearTimeout(wakeTimer);
  if (at === null) return alarms.clear(SYNC_ALARM);
  wakeTimer = setTimeout(() => void runSync(), Math.max(100, at - Date.now()));
  await alarms.at(SYNC_ALARM, at);
}

/**
 * A failure of the worker's own work (not of one item): in the worker's history, and kept for the
 * popup until that stage succeeds again.
 */
export async function recordWorkerProblem(stage: WorkerStage, error: unknown): Promise<void> {
  const db = await database();
  const problem = toItemError(error, Date.now());
  await db.put('meta', { key: 'worker-problem', stage, error: problem });
  await addHistory(db, { linkId: WORKER_EVENTS, at: problem.at, event: 'failed', subject: stage, error: keyedErrorData(error) });
}

export async function clearWorkerProblem(stage: WorkerStage): Promise<void> {
  const db = await database();
  const tx = db.transaction('meta', 'readwrite');
  const problem = await tx.store.get('worker-problem');
  if (problem?.key === 'worker-problem' && problem.stage === stage) await tx.store.delete('worker-problem');
  await tx.done;
}

/** Runs due jobs, polls due links and auto-send rules; asks to be woken for what is next. */
export const runSync = singleFlight(async () => {
  try {
    const ctx = await syncContext();
    const { nextAt } = await syncPass(ctx);
    await wakeAt(nextAt);
    await refreshBadge(ctx.db);
    await clearWorkerProblem('sync');
  } catch (error) {
    await wakeAt(Date.now() + AFTER_FAILURE_MS).catch(() => undefined);
    await recordWorkerProblem('sync', error).catch(() => undefined);
  }
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
 * A page of this order is open and visible: its links are read now and watched (see
 * `watchOrder`); the pass runs in the background.
 */
export async function markOrderActive(ctx: SyncContext, localOrderId: string): Promise<void> {
  await watchOrder(ctx, localOrderId);
  void runSync();
}
