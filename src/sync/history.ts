// What the sync did for each linked order, and when: the history the manager reads on the order
// page and in the popup, and exports as CSV. An entry is written in the transaction of the
// decision it records wherever there is one, so an event is in the history exactly when it
// happened. Each link keeps its newest HISTORY_PER_LINK entries; the worker's own events (no
// link: its set-up, auto-send rules, a box's state reads) are kept the same way under ''.
import type { IDBPObjectStore, StoreNames } from 'idb';
import type { KeyedErrorData } from '../errors/keyed-error';
import type { OutboxJob, SyncDb, SyncSchema } from './db';

/** Enough for months of an ordinary order; a box down for days fills it with its retries. */
export const HISTORY_PER_LINK = 200;
/** The worker's own events belong to no link. */
export const WORKER_EVENTS = '';
/** Enough of a comment to recognise it in the history. */
const EXCERPT_CHARS = 120;

/** What failed or was tried again: one of a link's jobs, a read of its comments, or the worker's own work. */
export type HistorySubject = OutboxJob['kind'] | 'poll' | 'auto-send' | 'state-read' | 'set-up' | 'sync';

/** One event, by kind, with what its sentence names. */
export type HistoryFacts =
  | { event: 'sent'; remoteOrderId: string; unassigned?: boolean }
  | { event: 'comment-sent' | 'comment-received' | 'comment-private'; excerpt: string }
  /** `inbound`: the partner's comment was not copied in (the client-visible filter). */
  | { event: 'comment-filtered'; excerpt: string; inbound: boolean }
  /** No `retryAt`: it waits for the user's "Retry". */
  | { event: 'failed'; subject: HistorySubject; error: KeyedErrorData; retryAt?: number }
  | { event: 'retried'; subject: HistorySubject; attempt: number }
  | { event: 'field-updated'; fields: Record<string, string> }
  /** `partner`: the partner's process reached the stage; `own`: the own order was moved there (stage map). */
  | { event: 'stage-changed'; side: 'partner' | 'own'; stageId: string; stageName?: string };

export type HistoryEvent = HistoryFacts['event'];

export const HISTORY_EVENTS = [
  'sent', 'comment-sent', 'comment-received', 'comment-private', 'comment-filtered', 'failed', 'retried', 'field-updated', 'stage-changed',
] as const satisfies readonly HistoryEvent[];

export type HistoryEntry = HistoryFacts & {
  seq?: number;
  /** The link it belongs to (WORKER_EVENTS for the worker's own). */
  linkId: string;
  at: number;
};

type HistoryStore<S extends ArrayLike<StoreNames<SyncSchema>>> = IDBPObjectStore<SyncSchema, S, 'history', 'readwrite'>;

/** A comment as its history entry quotes it: on one line, cut short. */
export function excerptOf(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length > EXCERPT_CHARS ? `${chars.slice(0, EXCERPT_CHARS - 1).join('')}…` : line;
}

/** Adds an entry in the caller's transaction and drops the link's oldest beyond the bound. */
export async function recordHistory<S extends ArrayLike<StoreNames<SyncSchema>>>(store: HistoryStore<S>, entry: HistoryEntry): Promise<void> {
  await store.add(entry);
  const byLink = store.index('byLink');
  let excess = (await byLink.count(entry.linkId)) - HISTORY_PER_LINK;
  for (let cursor = excess > 0 ? await byLink.openCursor(entry.linkId) : null; cursor && excess > 0; excess -= 1) {
    await cursor.delete();
    cursor = await cursor.continue();
  }
}

/** Adds an entry on its own, where no transaction decides the event. */
export async function addHistory(db: SyncDb, entry: HistoryEntry): Promise<void> {
  const tx = db.transaction('history', 'readwrite');
  await recordHistory(tx.store, entry);
  await tx.done;
}

/** The history of some links (an order's, or one), oldest first. */
export async function historyOf(db: SyncDb, linkIds: readonly string[]): Promise<HistoryEntry[]> {
  const entries = (await Promise.all(linkIds.map((id) => db.getAllFromIndex('history', 'byLink', id)))).flat();
  return entries.sort((a, b) => a.at - b.at || (a.seq ?? 0) - (b.seq ?? 0));
}
