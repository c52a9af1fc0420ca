// Public shapes of the sandbox: the options and handle that tests code against, and the
// records it keeps in memory. Records hold API-shaped values (ids and flags as strings)
// so that what a test reads from `state` is what the API would answer.

export interface SandboxOptions {
  /** 0 = a free port (default 0). */
  port?: number;
  /** Default '127.0.0.1'; only loopback hosts are allowed. */
  host?: string;
  /** Box display name, default 'Supplier A'. */
  name?: string;
  /** Default 'demo'. */
  seed?: 'demo' | 'empty';
  /**
   * The day the demo data is seeded around (deadlines, comment dates), as `YYYY-MM-DD`; default
   * the `SANDBOX_TODAY` environment variable, else today. Tests read seeded values from the
   * state instead of writing dates down, so a run on any day gives the same answer.
   */
  today?: string;
  /**
   * The box's clock for what the API stamps (dates of new comments and changes, token times);
   * default Date.now. An engine test on a virtual clock gives its own, so that change dates
   * move as its time does, not within one real second.
   */
  clock?: () => number;
}

export interface Sandbox {
  /** 'http://127.0.0.1:PORT' (no trailing slash). */
  readonly url: string;
  readonly name: string;
  /** 'supplier-a' from the name. */
  readonly slug: string;
  /** Live in-memory data, for assertions. */
  readonly state: SandboxState;
  /** Mutable: tests set fields directly. */
  readonly quirks: Quirks;
  readonly faults: Faults;
  /** Every API call received, oldest first; passwords redacted. */
  readonly log: ApiCall[];
  close(): Promise<void>;
}

export interface Quirks {
  /**
   * A write (`<entity>/set/`) with a bare JSON array is rejected; the same records as an
   * object keyed "0","1",... are accepted. When false both forms are accepted.
   */
  keyedWrites: boolean;
  /** A token expires after N authenticated calls (the N+1th is refused). */
  tokenLifetimeCalls: number | null;
  /** A token expires N seconds after it was issued (fractions allowed). */
  tokenLifetimeSeconds: number | null;
  /** Added before every API answer. */
  latencyMs: number;
  /**
   * The order page's comment composer. 'form' (default): the 2016 block, a <form> with
   * `textarea[name=postcomment]`, a submit button, Ctrl/Cmd+Enter posts. 'button': the modern
   * composer, no <form> at all, `textarea[name="postcomment[]"]` and a `type="button"` send
   * button whose click posts; Enter and Ctrl/Cmd+Enter post, Shift+Enter is a new line, no
   * submit event ever fires. `?composer=form|button` on an order page URL overrides it for
   * that page load.
   */
  composer: ComposerVariant;
  /**
   * Every read (`<entity>/get/`) answers with all records of the entity, as a box does that
   * ignores a filter it does not understand: neither `filter` nor `limit` is applied (the
   * requested `fields` and the sort still are, and comment/get still leaves out system items).
   */
  ignoreFilters: boolean;
  /** Every read ignores `orderby` / `orderfields` and answers in the box's own order, lowest id first. */
  ignoreOrderby: boolean;
  /** A filter given a list of values applies only the first, as a box that reads a list as one value. */
  firstFilterValueOnly: boolean;
  /** Only comment reads do so: `orderid` as a list reads the first order's comments (order reads take the list). */
  commentsOfOneOrder: boolean;
  /**
   * `comment/get/` answers with the comments of another process than the one asked for: the
   * lowest-id process that has comments and is not in the `orderid` filter (none: an empty list).
   */
  commentsOfAnotherOrder: boolean;
  /**
   * `order/set/` takes the process and ignores its `managerid` without a word (a new process has
   * no manager, an existing one keeps its own), as a box whose API does not set the assignee.
   */
  dropsManager: boolean;
  /**
   * How the order page's comment block (the list and the composer) comes. 'inline' (default):
   * in the first HTML, and after a post only the list's items are redrawn. 'late', as the modern
   * OneBox page (onebox-api.md): the first HTML has a placeholder; a page script fetches the
   * block from `/admin/block/order/comment/get/ajax/` and draws it anew, as new nodes, after
   * every post and whenever `window.obReloadComments()` is called (a draft in the composer is
   * kept). `?blocks=inline|late` on an order page URL overrides it for that page load.
   */
  blocks: BlocksVariant;
  /** How long the late block's fetch takes to answer (the first load and every redraw). */
  blockDelayMs: number;
  /**
   * The read dialect (onebox-api.md, "Newer evidence"). 'wrapped' (default): filter keys under
   * `filter`, comments at `comment/get|set/`, the employee flag `employee`. 'top-level': filter
   * keys at the top level of the body (a `filter` wrapper is ignored, so the read answers with
   * everything), sorting only by `orderby: "asc"|"desc"` with `orderfields` (an `orderby`
   * object is ignored), comments at `order/comments/get|set/` (`comment/*` is an unknown
   * method), and the employee flag answered as `employer` with `level` (2 employee).
   */
  dialect: SandboxDialect;
}

export type SandboxDialect = 'wrapped' | 'top-level';

export type ComposerVariant = 'form' | 'button';
export type BlocksVariant = 'inline' | 'late';

export type GarbageKind = 'html' | 'empty' | 'wrong-types' | 'not-json';

export interface Faults {
  /** The next n API calls answer HTTP 500 (or `status`) with an HTML error page. */
  failNext(n: number, status?: number): void;
  /** The next `<entity>/set/` call is committed, then the answer is cut after the headers. */
  commitThenDropNextWrite(): void;
  /** The next API call answers 200 with a malformed body of this kind. */
  garbageNext(kind: GarbageKind): void;
  /** While down, every API call and page request has its connection destroyed. */
  down(): void;
  up(): void;
  reset(): void;
}

export interface ApiCall {
  entity: string;
  action: string;
  /** Parsed JSON body (passwords redacted), or the raw text when it was not JSON. */
  body: unknown;
  /** Date.now() when the call arrived. */
  at: number;
  /**
   * The call was authenticated: a valid `token` header, or for `token/get/` a right
   * login and password. False when a fault answered before the token was looked at.
   */
  tokenOk: boolean;
  /** Set when a fault switch shaped the answer. */
  fault?: 'fail' | 'garbage' | 'drop';
}

export interface ContactRecord {
  id: string;
  name: string;
  namelast: string;
  typesex: 'person' | 'company';
  phones: string[];
  emails: string[];
  /** '1' for employees of the box. */
  employee: '0' | '1';
  company: string;
  cdate: string;
}

/** Sign-in data of an employee; the person itself is the contact with the same id. */
export interface EmployeeAccount {
  id: string;
  login: string;
  restapipassword: string;
}

export interface WorkflowRecord {
  id: string;
  name: string;
}

export interface StatusRecord {
  id: string;
  name: string;
  workflowid: string;
  startstatus: '0' | '1';
  sort: string;
}

export type CustomFieldType = 'date' | 'number' | 'dropdown' | 'string';

export interface CustomFieldDef {
  /** The field's identifier, used as the API key. */
  key: string;
  /** The label shown on the page. */
  name: string;
  type: CustomFieldType;
  /** Labels of a dropdown; empty otherwise. */
  options: string[];
}

export interface OrderRecord {
  id: string;
  name: string;
  description: string;
  externalid: string;
  workflowid: string;
  statusid: string;
  /** '' when nobody is assigned. */
  managerid: string;
  clientid: string;
  /** The employee whose token (or session) created the process. */
  authorid: string;
  cdate: string;
  udate: string;
  /** key -> value as text ('' = empty); every defined field has a key. */
  customfields: Record<string, string>;
}

export type CommentType = 'comment' | 'change' | 'notify' | 'email' | 'call' | 'sms' | 'result';

/** An item of a process's feed: a comment, or a system event when type is not 'comment'. */
export interface CommentRecord {
  id: string;
  orderid: string;
  type: CommentType;
  /** Plain text exactly as written. */
  content: string;
  userid: string;
  clientvisible: '0' | '1';
  cdate: string;
}

export interface SandboxState {
  orders: OrderRecord[];
  comments: CommentRecord[];
  contacts: ContactRecord[];
  employees: EmployeeAccount[];
  workflows: WorkflowRecord[];
  statuses: StatusRecord[];
  customFields: CustomFieldDef[];
}
