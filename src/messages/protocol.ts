// The one message protocol between the extension's contexts. Each message type names its
// request payload, its response, and who may send it; the background validates both the payload
// (see `src/background/router.ts`) and the sender before any handler runs.
import type { KeyedErrorData } from '../errors/keyed-error';
import type { Language } from '../i18n';
import type { BoxCredentials, DialectDiscovery, ProbeResult } from '../onebox/types';
import type { Anchor } from '../page/selectors';
import type { HistoryEvent } from '../sync/history';

/** Strings and state the content script needs to draw its controls on an order page. */
export interface PageHello {
  language: string;
  strings: Record<string, string>;
  /** True when the page belongs to the box the user set as their own. */
  ownBox: boolean;
  order: OrderPageState | null;
}

/** What the page shows about one order's link with one partner. */
export interface LinkView {
  partnerId: string;
  partnerName: string;
  state: 'sending' | 'linked' | 'failed' | 'unlinked';
  remoteOrderId?: string;
  remoteUrl?: string;
  /** Why it is not done yet, in the user's language; `retrying` when it will try again by itself. */
  problem?: { text: string; detail?: string; retrying: boolean };
  /** What the send could not do though the partner's process was made, in the user's language. */
  notice?: { text: string; detail?: string };
  /**
   * The stage the partner's process stands in: its id, its name (the id when the partner's box
   * did not name it), and since when, as the user reads a time.
   */
  remoteStage?: { id: string; name: string; since: number; sinceText: string };
}

/** One event of a linked order's history, as the user reads it. */
export interface HistoryEntryView {
  event: HistoryEvent;
  at: number;
  /** The moment as the user's language writes it. */
  atText: string;
  partnerName: string;
  text: string;
  /** The box's own words, for a failure. */
  detail?: string;
}

/** A linked order's history, newest first, and the same as a CSV file (oldest first). */
export interface HistoryView {
  entries: HistoryEntryView[];
  csv: { fileName: string; text: string };
}

/** What the status mark beside a native comment shows. */
export interface CommentView {
  state: 'queued' | 'sent' | 'private' | 'received' | 'failed';
  /** Why it failed, in the user's language. */
  problem?: string;
  /** Until when a queued comment can still be switched to private (epoch ms). */
  holdUntil?: number;
}

/** An order page of the own box: which partners it can go to, its links and its comments. */
export interface OrderPageState {
  orderId: string;
  partners: { id: string; name: string }[];
  links: LinkView[];
  /** By local comment id; comments the sync does not know are absent. */
  comments: Record<string, CommentView>;
  /** Whether a new comment is shared unless the author switches the pictogram off. */
  shareByDefault: boolean;
  /** What the pictogram of this order's composer shows: as the user last left it, else the default. */
  composerShare: boolean;
}

/** What "Send to partner" will create, shown before anything leaves. */
export interface SendPreview {
  partnerName: string;
  orderName: string;
  workflowName: string;
  stageName: string;
  assigneeName: string;
  assigneeEmail: string;
  clientName: string | null;
  fields: { from: string; to: string; value: string }[];
}

/** What "Test connection" on the options page learnt about one box. */
export interface ConnectionReport {
  /** The box's origin, as the settings will store it. */
  origin: string;
  /** Every call the settings rely on, ok or failed with the box's own message. */
  checks: ProbeResult[];
  /** What the box's dialect was found to be, capability by capability; null when discovery could not run. */
  discovery: DialectDiscovery | null;
  /** Business processes with their stages, for the pickers (empty when they could not be read). */
  workflows: { id: string; name: string; statuses: { id: string; name: string; isStart?: boolean }[] }[];
  /** The employee the assignee email names, when one was asked for and found. */
  assignee: { id: string; name: string } | null;
}

export interface ConnectionTest {
  box: BoxCredentials;
  /**
   * Values of the form to check; ids as digit strings. `testWrite`: the user allowed writing
   * the test process (in `workflowId`, at `statusId` or the start stage) and a comment in it.
   */
  plan: { workflowId?: string; statusId?: string; assigneeEmail?: string; testWrite?: boolean };
}

/** One item of a link that could not be delivered and waits for the user's "Retry". */
export interface PopupFailedItem {
  kind: 'send-order' | 'comment-out' | 'comment-in' | 'field-update' | 'stage-move';
  /** The comment as its author wrote it (partner text: shown as text); absent for a send. */
  excerpt?: string;
  /** Why, in the user's language, with the box's own words in `detail`. */
  text: string;
  detail?: string;
}

/** One link as the popup lists it. */
export interface PopupLink extends Omit<LinkView, 'problem'> {
  linkId: string;
  localOrderId: string;
  /** The order's page in the own box; null when the own box is not set up. */
  localUrl: string | null;
  /** When both boxes were last read for this link, and how long ago in the user's language. */
  lastSync: { at: number; text: string } | null;
  /** Comments waiting to be copied (hold window, backoff). */
  queued: number;
  failed: PopupFailedItem[];
  /** Why the last poll failed (e.g. the partner box is down); `retrying` when no fix is needed. */
  pollProblem?: { text: string; detail?: string; retrying: boolean };
}

/** An order open in a tab whose page lacks elements the extension attaches to. */
export interface PopupPageProblem {
  localOrderId: string;
  localUrl: string | null;
  /** What the user misses there, one text per element, in the user's language. */
  missing: { anchor: Anchor; text: string }[];
}

export interface PopupOverview {
  language: Language;
  /** Newest activity first. */
  links: PopupLink[];
  /** By order id. */
  pageProblems: PopupPageProblem[];
  /**
   * `waiting` is what the toolbar badge shows; `checking` counts the linked orders whose read is
   * due and not done yet (right after "Sync now", every one of them).
   */
  totals: { links: number; queued: number; waiting: number; checking: number };
  /** The worker's own set-up or sync pass failed (not one item): said until it works again. */
  workerProblem?: { stage: 'set-up' | 'sync'; text: string; detail?: string };
}

export interface Protocol {
  // Page messages name no order: the worker takes it from the sender's address, which the
  // browser sets and a page cannot forge.
  'page/hello': { request: Record<string, never>; response: PageHello; from: 'content' };
  // What the page lacks once it has settled (every anchor still missing; empty when all are there).
  'page/problems': { request: { missing: Anchor[] }; response: null; from: 'content' };
  'order/state': { request: Record<string, never>; response: OrderPageState; from: 'content' };
  'order/preview': { request: { partnerId: string }; response: SendPreview; from: 'content' };
  'order/send': { request: { partnerId: string }; response: LinkView; from: 'content' };
  'order/retry': { request: { partnerId: string }; response: LinkView; from: 'content' };
  'order/unlink': { request: { partnerId: string }; response: LinkView; from: 'content' };
  // The order's history with every partner.
  'order/history': { request: Record<string, never>; response: HistoryView; from: 'content' };
  // The pictogram, recorded as it changes (an answer means the worker has it): the choice the
  // order's next comment gets, and who the page shows as signed in.
  'composer/choice': { request: { share: boolean; viewerId?: string }; response: null; from: 'content' };
  // The choice bound to one comment of the page's list, by its id and author; also "keep
  // private" on a queued comment's mark. `already-sent` when its write had started.
  'comment/choice': { request: { commentId: string; authorId?: string; share: boolean }; response: 'recorded' | 'already-sent'; from: 'content' };
  // "Retry" beside one failed comment of the page's list: only its copy goes back in line.
  'comment/retry': { request: { commentId: string }; response: null; from: 'content' };
  // The extension's own composer: the partner and the client cabinet are two separate choices.
  'comment/post': { request: { text: string; share: boolean; clientVisible: boolean }; response: null; from: 'content' };
  'settings/test-connection': { request: ConnectionTest; response: ConnectionReport; from: 'extension' };
  'popup/overview': { request: Record<string, never>; response: PopupOverview; from: 'extension' };
  'popup/retry': { request: { linkId: string }; response: PopupOverview; from: 'extension' };
  'popup/sync-now': { request: Record<string, never>; response: PopupOverview; from: 'extension' };
  'popup/history': { request: { linkId: string }; response: HistoryView; from: 'extension' };
}

export type MessageType = keyof Protocol;
export type RequestOf<T extends MessageType> = Protocol[T]['request'];
export type ResponseOf<T extends MessageType> = Protocol[T]['response'];

export interface Envelope<T extends MessageType = MessageType> {
  type: T;
  payload: RequestOf<T>;
}

/** Replies carry either the value or the keyed error, which the asking context says in its strings. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: KeyedErrorData };
