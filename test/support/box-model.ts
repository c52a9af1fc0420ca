// An in-memory imitation of a OneBox box for model-based tests of the sync engine: processes
// and comments as the send and the comment sync use them, behind the `OneBoxClient` interface,
// with the faults a real box and network produce, chosen per request by whoever drives the test.
// It shares no code with the sandbox or the real client; its failures are the OneBoxErrors the
// real client throws for the same events (kinds and message keys of client.ts, http.ts and
// envelope.ts), so the engine's error handling runs as it would against a box.
//
// Token expiry is not modelled as a fault of its own: the real client answers a refused token by
// fetching a new one and sending the request once more, which the box refused before acting, so
// one expiry is invisible at this interface. A box that refuses the fresh token too is
// `token-refused`.
import { OneBoxError, REQUEST_TIMEOUT_MS, type Comment, type Contact, type OneBoxClient, type Order, type OrderChange, type OrderWrite, type Status, type Workflow } from '../../src/onebox';
import type { BoxDialect } from '../../src/onebox/types';

export interface Person {
  id: string;
  name: string;
  email?: string;
}

export interface StoredComment {
  id: string;
  orderId: string;
  content: string;
  author: Person;
  clientVisible: boolean;
  at: number;
}

export interface StoredOrder {
  id: string;
  externalId: string | null;
  name: string;
  workflowId: string | null;
  statusId: string | null;
  managerId: string | null;
  /** Moves on every change of the process and every comment in it, as the engine's `udate`. */
  udate: string;
}

/** What one request meets at the box. */
export type Fault =
  /** HTTP 500: the box did nothing. */
  | { kind: 'box-down' }
  /** No answer within the client's timeout; a write may have been applied before it. */
  | { kind: 'timeout'; applied: boolean }
  /** The connection dropped before any answer: the write may land now, later, or never. */
  | { kind: 'connection-lost'; lands: Landing }
  /** The write was applied and the answer's headers sent, then the connection dropped. */
  | { kind: 'answer-cut' }
  /** An answer that is not one: the box's own JSON without the id (write applied), or a proxy's HTML page (nothing done). */
  | { kind: 'garbled'; applied: boolean }
  /** The box refused even a freshly issued token. */
  | { kind: 'token-refused' }
  /** Answered normally, after this much virtual time. */
  | { kind: 'slow'; ms: number };

/** When a request that is never answered reaches the box: not at all, at once, or later (a write only). */
export type Landing = 'never' | 'now' | { afterMs: number };

export type Treatment = { answer: 'normal' } | { answer: 'fault'; fault: Fault } | { answer: 'never'; lands: Landing };

export interface RequestInfo {
  box: string;
  endpoint: string;
  write: boolean;
}

/** Decides each request's fate; resolving later lets the test act before the box answers. */
export interface RequestGate {
  request(info: RequestInfo): Promise<Treatment>;
}

export const OPEN_GATE: RequestGate = { request: async () => ({ answer: 'normal' }) };

export interface VirtualClock {
  now(): number;
  advance(ms: number): void;
}

export interface Stage {
  workflow: Workflow;
  statuses: Status[];
}

/** Comments in one page of a read, as the client's READ_LIMIT. */
const COMMENT_PAGE = 500;

export class BoxModel {
  readonly comments: StoredComment[] = [];
  /** How the client watches this box for changes (its dialect's `changes`). */
  changes: BoxDialect['changes'] = 'per-link';
  readonly orders: StoredOrder[] = [];
  readonly origin: string;
  #nextCommentId: number;
  #nextOrderId: number;
  #landing: { at: number; land: () => void }[] = [];
  #changes = 0;

  /** A change date that only moves forward, one tick per change (virtual time may stand still). */
  #changeStamp(): string {
    return String(++this.#changes);
  }

  constructor(
    url: string,
    readonly name: string,
    readonly clock: VirtualClock,
    ids: { firstComment: number; firstOrder: number },
    readonly employees: Person[] = [],
    readonly stages: Stage[] = [],
  ) {
    this.origin = new URL(url).origin;
    this.#nextCommentId = ids.firstComment;
    this.#nextOrderId = ids.firstOrder;
  }

  addOrder(fields: Partial<Omit<StoredOrder, 'id'>> & { id?: string } = {}): string {
    const id = fields.id ?? String(this.#nextOrderId++);
    this.orders.push({ externalId: null, name: `Order ${id}`, workflowId: null, statusId: null, managerId: null, ...fields, id, udate: this.#changeStamp() });
    return id;
  }

  /** A comment as the box stores it: the next id, higher than every earlier one. */
  addComment(orderId: string, content: string, author: Person, clientVisible: boolean): string {
    if (!this.orders.some((order) => order.id === orderId)) throw new Error(`${this.name}: no order ${orderId}`);
    const id = String(this.#nextCommentId++);
    this.comments.push({ id, orderId, content, author, clientVisible, at: this.clock.now() });
    this.orders.find((order) => order.id === orderId)!.udate = this.#changeStamp();
    return id;
  }

  commentsOf(orderId: string): StoredComment[] {
    return this.comments.filter((comment) => comment.orderId === orderId);
  }

  /** order/set by `externalid`: the same process is updated, never a second one made. */
  upsertOrder(record: OrderWrite): string {
    const existing = this.orders.find((order) => order.externalId === record.externalId);
    const fields = {
      ...(record.name !== undefined ? { name: record.name } : {}),
      ...(record.workflowId !== undefined ? { workflowId: record.workflowId } : {}),
      ...(record.statusId !== undefined ? { statusId: record.statusId } : {}),
      ...(record.managerId !== undefined ? { managerId: record.managerId } : {}),
    };
    if (existing) {
      Object.assign(existing, fields, { udate: this.#changeStamp() });
      return existing.id;
    }
    return this.addOrder({ ...fields, externalId: record.externalId });
  }

  updateOrder(orderId: string, change: OrderChange): void {
    const order = this.orders.find((o) => o.id === orderId);
    if (!order) throw new Error(`no order ${orderId}`);
    Object.assign(order, change.statusId !== undefined ? { statusId: change.statusId } : {}, { udate: this.#changeStamp() });
  }

  /** A write that reaches the box later than its sender can see. */
  landLater(at: number, land: () => void): void {
    this.#landing.push({ at, land });
  }

  /** Applies, in time order, the late writes whose time has come. */
  landDue(): void {
    const now = this.clock.now();
    const due = this.#landing.filter((write) => write.at <= now).sort((a, b) => a.at - b.at);
    this.#landing = this.#landing.filter((write) => write.at > now);
    for (const write of due) write.land();
  }
}

const never = <T>(): Promise<T> => new Promise<T>(() => {});

/** A client of `box`, signed in as `user`, whose requests meet what `gate` decides. */
export function modelClient(box: BoxModel, user: Person, gate: RequestGate): OneBoxClient {
  const fail = (endpoint: string, kind: OneBoxError['kind'], messageKey: OneBoxError['messageKey'], extra: { httpStatus?: number; boxMessage?: string } = {}) =>
    new OneBoxError({ kind, messageKey, endpoint, ...extra });

  async function exchange<T>(endpoint: string, write: boolean, act: () => T): Promise<T> {
    const treatment = await gate.request({ box: box.name, endpoint, write });
    box.landDue();
    if (treatment.answer === 'normal') return act();
    if (treatment.answer === 'never') {
      const { lands } = treatment;
      if (write && lands === 'now') act();
      if (write && typeof lands === 'object') box.landLater(box.clock.now() + lands.afterMs, act);
      return never();
    }
    const { fault } = treatment;
    switch (fault.kind) {
      case 'box-down':
        throw fail(endpoint, 'transient', 'error_box_down', { httpStatus: 500 });
      case 'timeout':
        if (write && fault.applied) act();
        // The client waited its whole timeout for nothing.
        box.clock.advance(REQUEST_TIMEOUT_MS);
        box.landDue();
        throw fail(endpoint, 'transient', 'error_timeout');
      case 'connection-lost':
        if (write && fault.lands === 'now') act();
        if (write && typeof fault.lands === 'object') box.landLater(box.clock.now() + fault.lands.afterMs, act);
        throw fail(endpoint, 'transient', 'error_network');
      case 'answer-cut':
        if (write) act();
        throw fail(endpoint, 'transient', 'error_answer_cut');
      case 'garbled':
        if (write && fault.applied) {
          act();
          throw fail(endpoint, 'protocol', 'error_protocol', { httpStatus: 200, boxMessage: 'dataArray: expected the written id' });
        }
        throw fail(endpoint, 'protocol', 'error_html_page', { httpStatus: 200, boxMessage: 'Bad gateway' });
      case 'token-refused':
        throw fail(endpoint, 'auth', 'error_token_rejected', { httpStatus: 401 });
      case 'slow':
        box.clock.advance(fault.ms);
        box.landDue();
        return act();
    }
  }

  const notModelled = (what: string) => () => Promise.reject(new Error(`${what}: not modelled`));

  const toOrder = (order: StoredOrder): Order => ({
    id: order.id,
    externalId: order.externalId,
    name: order.name,
    description: null,
    workflowId: order.workflowId,
    statusId: order.statusId,
    managerId: order.managerId,
    clientId: null,
    createdAt: null,
    createdAtRaw: null,
    customFields: {},
    fields: {},
  });
  const toComment = (comment: StoredComment): Comment => ({
    id: comment.id,
    orderId: comment.orderId,
    content: comment.content,
    createdAt: comment.at,
    createdAtRaw: null,
    authorId: comment.author.id,
    authorName: comment.author.name,
    clientVisible: comment.clientVisible,
  });
  const toContact = (person: Person): Contact => ({ id: person.id, name: person.name, namelast: '', emails: person.email ? [person.email] : [], phones: [] });

  return {
    origin: box.origin,
    getToken: notModelled('getToken'),
    probe: notModelled('probe'),
    discoverDialect: notModelled('discoverDialect'),
    getContact: notModelled('getContact'),
    findOrCreateContact: notModelled('findOrCreateContact'),
    findOrderByExternalId: notModelled('findOrderByExternalId'),
    listOrderIdsInStage: notModelled('listOrderIdsInStage'),
    listWorkflows: () => exchange('workflow/get', false, () => box.stages.map((stage) => stage.workflow)),
    listStatuses: (workflowId) => exchange('status/get', false, () => box.stages.find((stage) => stage.workflow.id === workflowId)?.statuses ?? []),
    findEmployeeByEmail: (email) => exchange('contact/get', false, () => {
      const person = box.employees.find((employee) => employee.email === email);
      return person ? toContact(person) : null;
    }),
    getOrder: (orderId) => exchange('order/get', false, () => {
      const order = box.orders.find((o) => o.id === orderId);
      return order ? toOrder(order) : null;
    }),
    getOrders: (orderIds) => exchange('order/get', false, () => box.orders.filter((order) => orderIds.includes(order.id)).map(toOrder)),
    updateOrder: (orderId, change) => exchange('order/set', true, () => box.updateOrder(orderId, change)),
    upsertOrder: (record) => exchange('order/set', true, () => box.upsertOrder(record)),
    listComments: (orderId, afterId) => exchange('comment/get', false, () => box.commentsOf(orderId)
      .filter((comment) => afterId === undefined || Number(comment.id) > Number(afterId))
      .map(toComment)),
    // As the client reads many orders: the newest page of their comments, oldest first.
    listCommentsOfOrders: (orderIds) => exchange('comment/get', false, () => {
      const all = box.comments.filter((comment) => orderIds.includes(comment.orderId));
      return { comments: all.slice(-COMMENT_PAGE).map(toComment), full: all.length >= COMMENT_PAGE };
    }),
    changeDates: (orderIds) => exchange('order/get', false, () => box.orders.filter((order) => orderIds.includes(order.id)).map((order) => ({ id: order.id, udate: order.udate }))),
    recentChangeDates: (limit) => exchange('order/get', false, () => [...box.orders].sort((a, b) => b.udate.localeCompare(a.udate) || Number(b.id) - Number(a.id)).slice(0, limit).map((order) => ({ id: order.id, udate: order.udate }))),
    changeDetection: () => Promise.resolve(box.changes),
    addComment: (orderId, content, clientVisible) => exchange('comment/set', true, () => box.addComment(orderId, content, user, clientVisible)),
  };
}
