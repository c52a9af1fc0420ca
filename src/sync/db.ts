// The worker's durable state in IndexedDB: links between a local order and a partner's process,
// the outbox of jobs, and each link's history. Nothing the sync needs lives in globals, because an MV3
// worker may be stopped between any two awaits.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { KeyedErrorData } from '../errors/keyed-error';
import type { HistoryEntry } from './history';

/**
 * Why a job or link is not done, and when that was found. Persisted: its fields are the ones
 * earlier versions stored, so their records read the same.
 */
export interface ItemError extends KeyedErrorData {
  at: number;
}

export type LinkState = 'sending' | 'linked' | 'failed' | 'unlinked';

export interface LinkRecord {
  /** `<partner id>|<local order id>`: one link per order and partner. */
  id: string;
  partnerId: string;
  localOrderId: string;
  /** What the partner's process carries in `externalid`, so a resend updates instead of duplicating. */
  externalId: string;
  state: LinkState;
  remoteOrderId?: string;
  remoteUrl?: string;
  createdAt: number;
  linkedAt?: number;
  lastSyncAt?: number;
  /** How the link came about: a click on the page, or an auto-send rule. */
  origin: 'click' | 'auto';
  error?: ItemError;
  /** What the send could not do though the process was made (the box dropped its assignee): shown, never retried. */
  notice?: ItemError;
  /** The newest comment id seen on each side; comments after these are new. */
  localCursor?: string;
  remoteCursor?: string;
  /**
   * When both sides are read next (none: only when change detection finds something), and how
   * many quiet reads in a row the link had (slows per-link polling).
   */
  nextPollAt?: number;
  quietPolls?: number;
  /** An order page shows this link until then: its partner side is read every second. */
  watchedUntil?: number;
  /** When the partner side was last read. */
  remoteReadAt?: number;
  /** Per side, for a box watched by its change dates (`udate`): see changes.ts. */
  udates?: Partial<Record<'local' | 'remote', SideDates>>;
  /** The partner process's stage as last read, named as the partner's box names it, and since when (first seen there). */
  remoteStage?: { id: string; name?: string; since: number };
  /**
   * The mapped fields' values in the partner's process, by the partner's key: as last written
   * (`sent`), and as queued to be written (`queued`, while a field update waits). See order-state.ts.
   */
  mappedFields?: { sent: Record<string, string>; queued?: Record<string, string> };
  /** When the order's stage and mapped fields were last read (order-state.ts). */
  stateReadAt?: number;
}

/**
 * A side's change dates: the one its last full read is known to include, and the one the last
 * look saw. A date is acted on a look after it was first seen, so that nothing written in the
 * same second (the dates' resolution) can come after the read that settles it.
 */
export interface SideDates {
  read: string;
  seen: string;
}

interface JobBase {
  seq?: number;
  linkId: string;
  /** Jobs of one lane run one at a time, in the order written. */
  lane: string;
  state: 'pending' | 'parked';
  attempts: number;
  /** Epoch ms before which the job is not tried (backoff, or a new comment's hold window). */
  notBefore: number;
  createdAt: number;
  error?: ItemError;
  /** Garbled answers in a row: a few may be a proxy's hiccup, more park the job. */
  protocolFailures?: number;
  /** The attempt whose retry the history has: a try put off (see `Deferred`) is not another retry. */
  retriedAttempt?: number;
}

export interface SendOrderJob extends JobBase {
  kind: 'send-order';
  /**
   * The own order's newest comment id when the send first ran ('' when it had none): comments
   * after it are synced, also those written while the send waited for a partner box that was down.
   */
  localFloor?: string;
}

/** Copies one comment to the other box. `inFlightSince` marks a write that may have landed. */
export interface CommentJob<K extends 'comment-out' | 'comment-in' = 'comment-out' | 'comment-in'> extends JobBase {
  kind: K;
  /** The comment's id in the box it was written in. */
  sourceId: string;
  /** The text as it will be written, attribution included. */
  text: string;
  /** The comment as its author wrote it (the popup's excerpt of a failed item). */
  sourceText: string;
  /** Who wrote it and whether the box shows it in the client cabinet: what decides a comment with no choice on record. */
  authorId?: string | null;
  clientVisible?: boolean | null;
  inFlightSince?: number;
  /** The write started at `inFlightSince` got an answer (an error): it cannot land any more. */
  writeEnded?: boolean;
  /** The newest comment id of the target before the first write: where reconciliation looks. */
  targetFloor?: string;
}

/** Writes mapped fields of the own order that changed after the send into the partner's process. */
export interface FieldUpdateJob extends JobBase {
  kind: 'field-update';
  /** By the partner's field key: the own field's value now. */
  values: Record<string, string>;
}

/** Moves the own order to the stage the partner's stage map pairs with the stage the partner's process reached. */
export interface StageMoveJob extends JobBase {
  kind: 'stage-move';
  /** The own stage id. */
  statusId: string;
  /** The partner's stage that asked for it. */
  remoteStatusId: string;
}

export type OutboxJob = SendOrderJob | CommentJob<'comment-out'> | CommentJob<'comment-in'> | FieldUpdateJob | StageMoveJob;

export const isCommentJob = (job: OutboxJob): job is CommentJob => job.kind === 'comment-out' || job.kind === 'comment-in';

export type CommentState = 'queued' | 'sent' | 'private' | 'received' | 'failed' | 'skipped';

/**
 * One comment the sync knows, on one side. Originals are comments people wrote; copies are the
 * ones the extension wrote, which are never sent back (no echo).
 */
export interface CommentRecord {
  /** `<link id>|<side>|<comment id>`. */
  key: string;
  linkId: string;
  side: 'local' | 'remote';
  commentId: string;
  role: 'original' | 'copy';
  state: CommentState;
  /** The id of its copy (for originals) or of its original (for copies), once known. */
  counterpartId?: string;
  at: number;
}

/**
 * What decides an outbound comment's fate, bound to what it is about, never to a text:
 * - `comment`: the author's pictogram choice for one comment, by its id in the page's list and its author;
 * - `composer`: what an order page's pictogram shows, the choice its next comment gets;
 * - `viewer`: a user id of the own box that an order page showed as the person using it.
 * Choices are kept until the comment is decided (there is no expiry).
 */
export type ChoiceRecord =
  | { kind: 'comment'; key: string; localOrderId: string; commentId: string; authorId?: string; share: boolean; at: number }
  | { kind: 'composer'; key: string; localOrderId: string; share: boolean; at: number }
  | { kind: 'viewer'; key: string; userId: string; at: number };

export type CommentChoice = Extract<ChoiceRecord, { kind: 'comment' }>;
export type ComposerChoice = Extract<ChoiceRecord, { kind: 'composer' }>;

export const choiceKey = {
  comment: (localOrderId: string, commentId: string) => `comment|${localOrderId}|${commentId}`,
  composer: (localOrderId: string) => `composer|${localOrderId}`,
  viewer: (userId: string) => `viewer|${userId}`,
};

/**
 * The worker's own small state: when auto-send rules are checked next, and a failure of the
 * worker's own set-up (not of one item) that the popup shows until a later set-up succeeds.
 */
export type MetaRecord =
  | { key: 'auto-send'; nextAt: number; /** The rules the turn was set for. */ rules: string }
  | ChangesRecord
  | { key: `states ${string}`; /** The next turn at every linked order of the box. */ nextAt: number }
  | { key: `stages ${string}`; /** A partner's stage names by id, as its box lists them. */ names: Record<string, string> }
  | { key: 'poll-budget'; /** Start of the minute counted. */ since: number; polls: number }
  | { key: 'worker-problem'; stage: WorkerStage; error: ItemError };

/**
 * Change detection of one box (`changes <origin>`): when it looks next, the highest comment id
 * (or change date) its last look saw (a full page that does not reach back to it may have missed changes), and
 * whether that look worked (else the box's links are polled one by one meanwhile).
 */
export interface ChangesRecord {
  key: `changes ${string}`;
  nextAt: number;
  cursor?: string;
  /** `udate-sorted`: the newest change date the last look saw in the box; a read of its latest changes that reaches back past it holds every change since. */
  newestUdate?: string;
  working: boolean;
}

/** What the worker does for itself: apply the settings (script registration), run a sync pass. */
export type WorkerStage = 'set-up' | 'sync';

/** What versions before 4 logged (never shown): version 4 turns what it can into history entries. */
interface AuditEntry {
  seq?: number;
  at: number;
  linkId?: string;
  event: string;
  detail?: string;
}

export interface SyncSchema extends DBSchema {
  links: { key: string; value: LinkRecord; indexes: { byOrder: string; byState: string } };
  outbox: { key: number; value: OutboxJob; indexes: { byLink: string; byLane: string } };
  comments: { key: string; value: CommentRecord; indexes: { byLink: string } };
  choices: { key: string; value: ChoiceRecord; indexes: { byKind: string } };
  history: { key: number; value: HistoryEntry; indexes: { byLink: string } };
  meta: { key: MetaRecord['key']; value: MetaRecord };
}

export type SyncDb = IDBPDatabase<SyncSchema>;

const DB_NAME = 'partner-sync';
const DB_VERSION = 4;

export function openSyncDb(name = DB_NAME): Promise<SyncDb> {
  return openDB<SyncSchema>(name, DB_VERSION, {
    // Each version's step runs once, in order, so later versions add to what is there.
    async upgrade(db, oldVersion, _newVersion, transaction) {
      if (oldVersion < 1) {
        const links = db.createObjectStore('links', { keyPath: 'id' });
        links.createIndex('byOrder', 'localOrderId');
        links.createIndex('byState', 'state');
        const outbox = db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
        outbox.createIndex('byLink', 'linkId');
        outbox.createIndex('byLane', 'lane');
        // Versions 1 to 3 also made an audit log here, which version 4 folds into the history.
        db.createObjectStore('comments', { keyPath: 'key' }).createIndex('byLink', 'linkId');
      }
      if (oldVersion < 2) {
        // Version 1 matched choices to comments by text, for ten minutes; they cannot be bound
        // to a comment after the fact, so they go, and undecided comments fall back to the defaults.
        // A "private" among them still counts, failing closed: its order's next comment is private.
        const choices = db.createObjectStore('choices', { keyPath: 'key' });
        choices.createIndex('byKind', 'kind');
        if ((db.objectStoreNames as DOMStringList).contains('intents')) {
          const legacy = (transaction as unknown as { objectStore(name: string): { getAll(): Promise<{ localOrderId: string; share: boolean; at: number }[]> } }).objectStore('intents');
          for (const intent of await legacy.getAll()) {
            if (!intent.share) await choices.put({ kind: 'composer', key: choiceKey.composer(intent.localOrderId), localOrderId: intent.localOrderId, share: false, at: intent.at });
          }
          db.deleteObjectStore('intents' as never);
        }
      }
      if (oldVersion < 3) db.createObjectStore('meta', { keyPath: 'key' });
      if (oldVersion < 4) {
        const history = db.createObjectStore('history', { keyPath: 'seq', autoIncrement: true });
        history.createIndex('byLink', 'linkId');
        if ((db.objectStoreNames as DOMStringList).contains('audit')) {
          const legacy = (transaction as unknown as { objectStore(name: string): { getAll(): Promise<AuditEntry[]> } }).objectStore('audit');
          for (const entry of await legacy.getAll()) {
            const kept = historyFromAudit(entry);
            if (kept) await history.add(kept);
          }
          db.deleteObjectStore('audit' as never);
        }
      }
    },
  });
}

export function linkId(partnerId: string, localOrderId: string): string {
  return `${partnerId}|${localOrderId}`;
}

export function commentKey(link: string, side: CommentRecord['side'], commentId: string): string {
  return `${link}|${side}|${commentId}`;
}

/** The lanes of a link: its send, its outbound comments, its inbound comments. */
export const lanes = {
  send: (link: string) => link,
  out: (link: string) => `${link}|out`,
  in: (link: string) => `${link}|in`,
};

const JOB_KINDS: readonly string[] = ['send-order', 'comment-out', 'comment-in', 'field-update', 'stage-move'] satisfies OutboxJob['kind'][];

/**
 * An audit entry of versions before 4 as a history entry: sends, and failures with their reason
 * ("<job kind>: <message key>"). The rest goes: a send asked for or an unlink has no event of its
 * own, and the worker's failures were the popup's to say while they lasted.
 */
function historyFromAudit(entry: AuditEntry): HistoryEntry | null {
  const base = { linkId: entry.linkId ?? '', at: entry.at };
  const detail = entry.detail ?? '';
  if (entry.event === 'sent' && entry.linkId) {
    const [remoteOrderId = '', flag] = detail.split(', ');
    return { ...base, event: 'sent', remoteOrderId, ...(flag === 'unassigned' ? { unassigned: true } : {}) };
  }
  const failure = /^(job-parked|job-retry-scheduled)$/.test(entry.event) ? /^([a-z-]+): (\w+)$/.exec(detail) : null;
  if (failure && JOB_KINDS.includes(failure[1]!)) {
    const error = { kind: entry.event === 'job-parked' ? 'config' : 'transient', messageKey: failure[2] } as KeyedErrorData;
    // The time of that retry was not logged: a failure that was retried says "retrying" without one.
    return { ...base, event: 'failed', subject: failure[1] as OutboxJob['kind'], error, ...(entry.event === 'job-retry-scheduled' ? { retryAt: entry.at } : {}) };
  }
  return null;
}
