// Wires the sync engine to the worker: the database, box clients whose tokens live in session
// storage, and the drain that runs the outbox now, on a timer while the worker is awake, and on
// the alarm that wakes a stopped worker.
import { createOneBoxClient, type KeyValueMemory, type OneBoxClient } from '../onebox';
import { alarms, sessionStore } from '../platform/browser-api';
import { loadSettings } from '../settings/store';
import { openSyncDb, type SyncDb } from '../sync/db';
import { checkAutoSend, createRunners, type SyncContext } from '../sync/engine';
import { drainOutbox, singleFlight } from '../sync/outbox';

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

/** Runs every due job; asks to be woken again when the next one is due. */
export const runSync = singleFlight(async () => {
  const ctx = await syncContext();
  const result = await drainOutbox(ctx.db, createRunners(ctx));
  clearTimeout(wakeTimer);
  if (result.nextDueAt !== null) {
    wakeTimer = setTimeout(() => void runSync(), Math.max(0, result.nextDueAt - Date.now()));
  }
  return result;
});

/** The periodic cycle: auto-send rules, then the outbox. */
export async function syncCycle(): Promise<void> {
  const ctx = await syncContext();
  try {
    await checkAutoSend(ctx);
  } finally {
    await runSync();
  }
}

export function ensureSyncAlarm(): Promise<void> {
  return alarms.create(SYNC_ALARM, ALARM_PERIOD_MINUTES);
}
