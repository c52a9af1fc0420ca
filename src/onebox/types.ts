import type { MessageKey } from '../i18n/index.ts';

/** Whether the call's shape is known from public clients (`documented`) or our guess (`assumed`). */
export type EndpointTag = 'documented' | 'assumed';

/**
 * How one box reads a request (onebox-api.md, "Newer evidence": two read dialects). The
 * documented dialect is the first value of each; `DOCUMENTED_DIALECT` in client.ts.
 */
export interface BoxDialect {
  /** Filter keys under `filter` (documented), or at the top level of the body. */
  readShape: 'filter' | 'top-level';
  /** `orderby: {"id": "desc"}`, or `orderby: "DESC"` (a direction) with `orderfields: ["id"]`. */
  sort: 'orderby-object' | 'orderfields';
  /** Comments are read with `comment/get/`, or with `order/comments/get/` (the vendor's v1 name). */
  comments: 'comment' | 'order/comments';
  /** And written with `comment/set/` or `order/comments/set/`: the read's sibling unless a test write found otherwise. */
  commentsWrite: 'comment' | 'order/comments';
  /** The employee flag as the box answers it: `employee` 1, or the engine's `employer` 1 / `level` 2 or 3. */
  employeeFlag: 'employee' | 'employer';
  /**
   * How the sync learns which linked orders changed, best first: one comments read for many
   * orders at once (`orderid` as a list, each answer held to the list); their change dates
   * (`udate`, which a new comment moves) from one read of the box's most recently changed orders
   * (`udate-sorted`: the box sorts by `udate`), or in `order/get` by the linked orders' ids
   * (`udate`); or a read of each linked order on its own (the fallback: nothing shows that the
   * box does any of these).
   */
  changes: 'comments-batch' | 'udate-sorted' | 'udate' | 'per-link';
}

/** What discovery checks, in the order "Test connection" lists them. */
export const CAPABILITIES = ['readShape', 'sort', 'commentsRead', 'commentsBatch', 'commentsWrite', 'employee', 'assignee', 'udateRead', 'udateSort', 'changes'] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface CapabilityFinding {
  capability: Capability;
  /**
   * true: `shape` works on this box; false: no known shape does (the capability is not possible
   * there); null: the box gave nothing to tell by (too few records, no email to look up).
   */
  works: boolean | null;
  /** What worked, as sent: e.g. `order/comments/get`, `orderby + orderfields`. */
  shape?: string;
  /** Not tried, only named after another call that worked (no test write was allowed). */
  inferred?: boolean;
  /** The box's own words when a test write was refused. */
  detail?: string;
}

/**
 * A write the user allowed "Test connection" to make: one process of the given business process
 * and stage, always the same one (found again by its `externalid`), with a private test comment.
 */
export interface TestWrite {
  workflowId: string;
  statusId: string;
}

export interface DiscoveryOptions {
  /** An employee of the box: checks the employee look-up (and, with a test write, the assignee). */
  employeeEmail?: string;
  testWrite?: TestWrite;
}

/** Discovery's answer: the dialect the client will use (documented where nothing was found) and why. */
export interface DialectDiscovery {
  dialect: BoxDialect;
  findings: CapabilityFinding[];
}

export interface BoxCredentials {
  url: string;
  login: string;
  restApiPassword: string;
}

export interface Workflow {
  id: string;
  name: string;
}

export interface Status {
  id: string;
  name: string;
  /** Always the business process asked for: the client refuses an answer with another's stages. */
  workflowId: string;
  /** Present only when the box says whether this is the process's start stage. */
  isStart?: boolean;
}

export interface Contact {
  id: string;
  name: string;
  namelast: string;
  emails: string[];
  phones: string[];
}

export interface ContactInput {
  name: string;
  namelast?: string;
  email?: string;
  phone?: string;
  /** A company rather than a person. */
  company?: boolean;
}

export interface Order {
  id: string;
  externalId: string | null;
  name: string | null;
  description: string | null;
  workflowId: string | null;
  statusId: string | null;
  managerId: string | null;
  clientId: string | null;
  /** See dates.ts: ms "as if UTC", for ordering only. */
  createdAt: number | null;
  createdAtRaw: string | null;
  /** Custom field identifier -> value as text ('' = empty), from `customfields` or `customorder_<key>`. */
  customFields: Record<string, string>;
  /** Every requested scalar field as the box sent it, as text (ids included). */
  fields: Record<string, string>;
}

/** An order to create or update, matched by `externalId`. Absent fields are not sent. */
export interface OrderWrite {
  externalId: string;
  /** Required by the box when the order is created. */
  workflowId?: string;
  /** Required by the box when the order is created. */
  statusId?: string;
  name?: string;
  description?: string;
  /** The assignee (an employee id). */
  managerId?: string;
  /** A contact id, e.g. from findOrCreateContact. */
  clientId?: string;
  customFields?: Record<string, string>;
}

/** What a sync changes in an order that exists: its stage, its custom fields (by key). */
export interface OrderChange {
  statusId?: string;
  customFields?: Record<string, string>;
}

export interface Comment {
  id: string;
  orderId: string;
  content: string;
  /** See dates.ts: ms "as if UTC", for ordering only; null when the box gave no usable date. */
  createdAt: number | null;
  createdAtRaw: string | null;
  authorId: string | null;
  authorName: string | null;
  /** Visible in the client cabinet (and so to the partner); null when the box did not say. */
  clientVisible: boolean | null;
}

/** What "Test connection" checks beyond the token: the values the partner settings use. */
export interface ProbePlan {
  workflowId?: string;
  statusId?: string;
  assigneeEmail?: string;
  /** An order to read; without one, any order the box lists first. */
  orderId?: string;
}

export type ProbeCall = 'token' | 'workflows' | 'statuses' | 'employee' | 'order' | 'comments';

export interface ProbeResult {
  call: ProbeCall;
  /** e.g. `status/get`. */
  endpoint: string;
  tag: EndpointTag;
  ok: boolean;
  /** The box's own text, when it gave one. */
  message?: string;
  messageKey?: MessageKey;
}

export interface OneBoxClient {
  readonly origin: string;
  getToken(): Promise<string>;
  listWorkflows(): Promise<Workflow[]>;
  listStatuses(workflowId: string): Promise<Status[]>;
  findEmployeeByEmail(email: string): Promise<Contact | null>;
  /** A contact (client or employee) by id; null when the box has none. */
  getContact(contactId: string): Promise<Contact | null>;
  findOrCreateContact(contact: ContactInput): Promise<string>;
  getOrder(orderId: string, fields: string[]): Promise<Order | null>;
  /** Many orders by id in one read; those the box does not have (or left out) are missing. */
  getOrders(orderIds: readonly string[], fields: string[]): Promise<Order[]>;
  updateOrder(orderId: string, change: OrderChange): Promise<void>;
  findOrderByExternalId(externalId: string): Promise<Order | null>;
  upsertOrder(record: OrderWrite): Promise<string>;
  /** Ids of the processes in one stage of one business process (for auto-send), lowest first. */
  listOrderIdsInStage(workflowId: string, statusId: string): Promise<string[]>;
  listComments(orderId: string, afterId?: string): Promise<Comment[]>;
  /**
   * The newest comments of many orders in one read, oldest first, each naming one of them;
   * `full`: the box's page was full, so older ones than those returned may be missing.
   */
  listCommentsOfOrders(orderIds: readonly string[]): Promise<{ comments: Comment[]; full: boolean }>;
  /** Each order's change date as the box gives it (orders it does not have are left out). */
  changeDates(orderIds: readonly string[]): Promise<{ id: string; udate: string | null }[]>;
  /** The box's `limit` most recently changed orders (any, linked or not) with their change dates, newest first. */
  recentChangeDates(limit: number): Promise<{ id: string; udate: string | null }[]>;
  /** How this box's linked orders are watched for changes (its dialect's `changes`). */
  changeDetection(): Promise<BoxDialect['changes']>;
  addComment(orderId: string, content: string, clientVisible: boolean): Promise<string>;
  probe(plan: ProbePlan): Promise<ProbeResult[]>;
  /**
   * Which dialect the box speaks, capability by capability, documented shapes first. Reads
   * only, unless `testWrite` allows writing the one test process and a comment in it.
   */
  discoverDialect(options?: DiscoveryOptions): Promise<DialectDiscovery>;
}
