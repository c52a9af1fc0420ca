// The durable outbox: jobs are written before the first request and removed only once done,
// so a stopped worker, a closed browser or a box that is down loses nothing. Jobs of one lane
// (a link's send, its outbound or its inbound comments) run strictly in order; a lane whose
// first job waits or is parked holds back its later jobs, never another lane's.
import type { IDBPTransaction, StoreNames } from 'idb';
import { keyedErrorData } from '../errors/keyed-error';
import type { ItemError, OutboxJob, SyncDb, SyncSchema } from './db';
import { recordHistory } from './history';

/** A runner that cannot act yet (an earlier write may still land) says when to try again; that costs no attempt. */
export interface Deferred {
  retryAt: number;
}

export type Runners = { [K in OutboxJob['kind']]: (job: Extract<OutboxJob, { kind: K }>) => Promise<void | Deferred> };

export interface Clock {
  now(): number;
  random(): number;
}

const systemClock: Clock = { now: () => Date.now(), random: () => Math.random() };

const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 5 * 60_000;
/** A garbled answer may be a proxy's hiccup: a few tries, then the item waits for the user. */
const PROTOCOL_ATTEMPTS = 3;

/** Exponential backoff with jitter (between half and all of the step), never below Retry-After. */
export function backoffDelay(attempts: number, random: number, retryAfterMs = 0): number {
  const step = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.max(retryAfterMs, Math.round(step / 2 + (step / 2) * random));
}

/** What a failed job or poll stores: the error's data, and when it happened. */
export function toItemError(error: unknown, at: number): ItemError {
  return { ...keyedErrorData(error), at };
}

/** `protocolFailures` counts garbled answers in a row: a 500 between two of them is no third. */
function shouldPark(error: ItemError, protocolFailures: number): boolean {
  if (error.kind === 'transient') return false;
  if (error.kind === 'protocol') return protocolFailures >= PROTOCOL_ATTEMPTS;
  return true;
}

type Stores = StoreNames<SyncSchema>;
export type JobTransaction<S extends Stores> = IDBPTransaction<SyncSchema, S[], 'readwrite'>;

/**
 * The one step between "queued" and "being done", for every runner: one transaction that reads
 * the job again (gone: `null`, somebody took it away) and lets `step` read what the job depends
 * on and mark it started. What `step` saw cannot change before its marks are stored.
 */
export async function claimJob<S extends Stores, J extends OutboxJob, T>(
  db: SyncDb, ran: J, stores: S[], step: (job: J, tx: JobTransaction<S | 'outbox'>) => Promise<T | null>,
): Promise<T | null> {
  const tx = db.transaction([...stores, 'outbox'], 'readwrite');
  const job = (await tx.objectStore('outbox').get(ran.seq!)) as J | undefined;
  const claimed = job ? await step(job, tx) : null;
  await tx.done;
  return claimed;
}

/**
 * The one step after the box did the job: one transaction that records the outcome from what is
 * stored now (not from a copy read before the request) and removes the job.
 */
export async function settleJob<S extends Stores>(
  db: SyncDb, job: OutboxJob, stores: S[], step: (tx: JobTransaction<S | 'outbox'>) => Promise<void>,
): Promise<void> {
  const tx = db.transaction([...stores, 'outbox'], 'readwrite');
  await step(tx);
  await tx.objectStore('outbox').delete(job.seq!);
  await tx.done;
}

/** The first job of each lane, in the order the lanes' first jobs were written. */
async function headsOfLanes(db: SyncDb): Promise<OutboxJob[]> {
  const heads = new Map<string, OutboxJob>();
  for (const job of await db.getAll('outbox')) {
    if (!heads.has(job.lane)) heads.set(job.lane, job);
  }
  return [...heads.values()];
}

export interface DrainResult {
  done: number;
  failed: number;
  /** When the earliest waiting job becomes due, or null when nothing waits. */
  nextDueAt: number | null;
}

/**
 * Runs every due job once per pass until none is due. Callers make sure only one drain runs at
 * a time in a worker (see `singleFlight`).
 */
export async function drainOutbox(db: SyncDb, runners: Runners, clock: Clock = systemClock): Promise<DrainResult> {
  const result: DrainResult = { done: 0, failed: 0, nextDueAt: null };
  for (;;) {
    const due = (await headsOfLanes(db)).filter((job) => job.state === 'pending' && job.notBefore <= clock.now());
    if (due.length === 0) break;
    for (const job of due) {
      try {
        await noteRetry(db, job, clock);
        const deferred = await (runners[job.kind] as (j: OutboxJob) => Promise<void | Deferred>)(job);
        if (deferred) {
          const current = await db.get('outbox', job.seq!);
          if (current) await db.put('outbox', { ...current, notBefore: deferred.retryAt });
          continue;
        }
        await db.delete('outbox', job.seq!);
        result.done += 1;
      } catch (error) {
        result.failed += 1;
        await recordFailure(db, job, toItemError(error, clock.now()), clock);
      }
    }
  }
  const waiting = (await headsOfLanes(db)).filter((job) => job.state === 'pending').map((job) => job.notBefore);
  result.nextDueAt = waiting.length > 0 ? Math.min(...waiting) : null;
  return result;
}

/** A job that failed before runs again: the history says so, once per attempt. */
async function noteRetry(db: SyncDb, ran: OutboxJob, clock: Clock): Promise<void> {
  if (ran.attempts === 0 || ran.retriedAttempt === ran.attempts) return;
  const tx = db.transaction(['outbox', 'history'], 'readwrite');
  const job = await tx.objectStore('outbox').get(ran.seq!);
  if (job && job.retriedAttempt !== job.attempts) {
    await tx.objectStore('outbox').put({ ...job, retriedAttempt: job.attempts });
    await recordHistory(tx.objectStore('history'), { linkId: job.linkId, at: clock.now(), event: 'retried', subject: job.kind, attempt: job.attempts + 1 });
  }
  await tx.done;
}

async function recordFailure(db: SyncDb, ran: OutboxJob, error: ItemError, clock: Clock): Promise<void> {
  const tx = db.transaction(['outbox', 'history'], 'readwrite');
  // The runner may have updated its job (e.g. marked a write as in flight): build on that.
  const job = await tx.objectStore('outbox').get(ran.seq!);
  if (!job) return;
  const attempts = job.attempts + 1;
  const protocolFailures = error.kind === 'protocol' ? (job.protocolFailures ?? 0) + 1 : 0;
  const park = shouldPark(error, protocolFailures);
  const updated: OutboxJob = {
    ...job,
    attempts,
    protocolFailures,
    error,
    state: park ? 'parked' : 'pending',
    notBefore: park ? job.notBefore : clock.now() + backoffDelay(attempts, clock.random(), error.retryAfterMs),
  };
  await tx.objectStore('outbox').put(updated);
  const { at: _at, ...reason } = error;
  await recordHistory(tx.objectStore('history'), { linkId: job.linkId, at: error.at, event: 'failed', subject: job.kind, error: reason, ...(park ? {} : { retryAt: updated.notBefore }) });
  await tx.done;
}

/** Puts those of a link's parked or waiting jobs that `chosen` picks back in line, to run now. */
async function retryJobs(db: SyncDb, linkId: string, now: number, chosen: (job: OutboxJob) => boolean): Promise<number> {
  const tx = db.transaction('outbox', 'readwrite');
  const jobs = (await tx.store.index('byLink').getAll(linkId)).filter((job) => (job.state === 'parked' || job.error) && chosen(job));
  for (const job of jobs) await tx.store.put({ ...job, state: 'pending', notBefore: Math.min(job.notBefore, now) });
  await tx.done;
  return jobs.length;
}

/** Puts a link's parked or waiting jobs (every lane) back in line, to run now. */
export function retryLink(db: SyncDb, linkId: string, now = Date.now()): Promise<number> {
  return retryJobs(db, linkId, now, () => true);
}

/** Puts the copy of one local comment to a link's partner back in line, and nothing else of the link. */
export function retryComment(db: SyncDb, linkId: string, commentId: string, now: number): Promise<number> {
  return retryJobs(db, linkId, now, (job) => job.kind === 'comment-out' && job.sourceId === commentId);
}

/** Runs `task` unless it is already running, in which case the running call is awaited again. */
export function singleFlight<T>(task: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  let again = false;
  const run = async (): Promise<T> => {
    try {
      let value: T;
      do {
        again = false;
        value = await task();
      } while (again);
      return value;
    } finally {
      running = null;
    }
  };
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = run();
    return running;
  };
}
