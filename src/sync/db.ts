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
}

export interface SendOrderJob {
  seq?: number;
  kind: 'send-order';
  linkId: string;
  state: 'pending' | 'parked';
  attempts: number;
  /** Epoch ms before which the job is not tried (backoff). */
  notBefore: number;
  createdAt: number;
  error?: ItemError;
}

export type OutboxJob = SendOrderJob;

export interface AuditEntry {
  seq?: number;
  at: number;
  linkId?: string;
  event: string;
  detail?: string;
}

interface SyncSchema extends DBSchema {
  links: { key: string; value: LinkRecord; indexes: { byOrder: string; byState: string } };
  outbox: { key: number; value: OutboxJob; indexes: { byLink: string } };
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
        db.createObjectStore('audit', { keyPath: 'seq', autoIncrement: true });
      }
    },
  });
}

export function linkId(partnerId: string, localOrderId: string): string {
  return `${partnerId}|${localOrderId}`;
}

export async function audit(db: SyncDb, entry: Omit<AuditEntry, 'seq' | 'at'>): Promise<void> {
  await db.add('audit', { ...entry, at: Date.now() });
}
