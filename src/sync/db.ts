// The worker's durable state in IndexedDB: links between a local order and a partner's process,
// the outbox of jobs, and the audit log. Nothing the sync needs lives in globals, because an MV3
// worker may be stopped between any two awaits.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export interface ItemError {
  kind: 'auth' | 'config' | 'transient' | 'protocol' | 'internal';
  messageKey: string;
  /** The box's own words, or a technical detail; never a password or token. */
  detail?: string;
  /** The box asked us to wait this long (429 Retry-After). */
  retryAfterMs?: number;
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
  /** The newest comment id seen on each side; comments after these are new. */
  localCursor?: string;
  remoteCursor?: string;
  /** When the link is polled next, and how many quiet polls in a row it had (slows polling). */
  nextPollAt?: number;
  quietPolls?: number;
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
}

export interface SendOrderJob extends JobBase {
  kind: 'send-order';
}

/** Copies one comment to the other box. `inFlightSince` marks a write that may have landed. */
export interface CommentJob<K extends 'comment-out' | 'comment-in' = 'comment-out' | 'comment-in'> extends JobBase {
  kind: K;
  /** The comment's id in the box it was written in. */
  sourceId: string;
  /** The text as it will be written, attribution included. */
  text: string;
  /** The comment as its author wrote it: what a pictogram choice is matched against. */
  sourceText: string;
  inFlightSince?: number;
  /** The newest comment id of the target before the first write: where reconciliation looks. */
  targetFloor?: string;
}

export type OutboxJob = SendOrderJob | CommentJob<'comment-out'> | CommentJob<'comment-in'>;

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

/** What the author chose with the pictogram when they submitted a comment on an order page. */
export interface ShareIntent {
  seq?: number;
  localOrderId: string;
  text: string;
  share: boolean;
  at: number;
  /** Links whose new comment this choice already decided (one order may have several partners). */
  usedBy: string[];
}

export interface AuditEntry {
  seq?: number;
  at: number;
  linkId?: string;
  event: string;
  detail?: string;
}

interface SyncSchema extends DBSchema {
  links: { key: string; value: LinkRecord; indexes: { byOrder: string; byState: string } };
  outbox: { key: number; value: OutboxJob; indexes: { byLink: string; byLane: string } };
  comments: { key: string; value: CommentRecord; indexes: { byLink: string } };
  intents: { key: number; value: ShareIntent; indexes: { byOrder: string } };
  audit: { key: number; value: AuditEntry };
}

export type SyncDb = IDBPDatabase<SyncSchema>;

const DB_NAME = 'partner-sync';
const DB_VERSION = 1;

export function openSyncDb(name = DB_NAME): Promise<SyncDb> {
  return openDB<SyncSchema>(name, DB_VERSION, {
    // Each version's step runs once, in order, so later versions add to what is there.
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        const links = db.createObjectStore('links', { keyPath: 'id' });
        links.createIndex('byOrder', 'localOrderId');
        links.createIndex('byState', 'state');
        const outbox = db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
        outbox.createIndex('byLink', 'linkId');
        outbox.createIndex('byLane', 'lane');
        db.createObjectStore('comments', { keyPath: 'key' }).createIndex('byLink', 'linkId');
        db.createObjectStore('intents', { keyPath: 'seq', autoIncrement: true }).createIndex('byOrder', 'localOrderId');
        db.createObjectStore('audit', { keyPath: 'seq', autoIncrement: true });
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

export async function audit(db: SyncDb, entry: Omit<AuditEntry, 'seq' | 'at'>): Promise<void> {
  await db.add('audit', { ...entry, at: Date.now() });
}
