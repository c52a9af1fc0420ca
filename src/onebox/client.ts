// The OneBox client: every call the extension makes to a box, and the one place that knows
// the box's wire format. Each endpoint carries its tag from onebox-api.md: `documented` (seen
// in public clients or vendor pages) or `assumed` (our guess; "Test connection" probes it).
//
// Retries, decided here once: the client makes one attempt per call, plus at most one token
// re-issue (the box refused the token before doing anything, so resending is safe even for a
// write) and at most one switch to the keyed write form (the box refused the body's shape, so
// nothing was written). After a transient failure it throws and never retries by itself: a
// dropped answer to `comment/set` may hide a written comment, so only the caller, who can
// reconcile, decides. `order/set` by `externalid` is safe for the caller to repeat.
//
// Every read's answer is held to what was asked, next to its call (`#readAsked`): a box that
// ignores a filter it does not understand answers with everything (onebox-api.md).
//
// Two read dialects are known (onebox-api.md, "Newer evidence"): every read and the comment
// calls are sent in the box's `BoxDialect`. Given none, the client uses the one stored for the
// box's origin in `dialectMemory`, discovering it (reads only) on first use; a read that fails
// with a protocol or config error on a stored dialect re-discovers it once.
import type { GenericSchema, InferOutput } from 'valibot';
import type { MessageKey } from '../i18n/index.ts';
import { parseBoxDate } from './dates.ts';
import { interpretAnswer } from './envelope.ts';
import { OneBoxError } from './errors.ts';
import { postJson, type HttpOptions } from './http.ts';
import { compareIds, wireId } from './ids.ts';
import { createInMemoryMemory, type KeyValueMemory } from './memory.ts';
import {
  CommentSchema,
  ContactSchema,
  OrderSchema,
  OrderUdateSchema,
  ScalarTextSchema,
  StatusSchema,
  TokenAnswerSchema,
  WorkflowSchema,
  listItems,
  parseList,
  parseOne,
  parseWrittenId,
} from './schemas.ts';
import { throttleFor } from './throttle.ts';
import type {
  BoxCredentials,
  BoxDialect,
  CapabilityFinding,
  Comment,
  Contact,
  ContactInput,
  DialectDiscovery,
  DiscoveryOptions,
  EndpointTag,
  OneBoxClient,
  Order,
  OrderChange,
  OrderWrite,
  ProbeCall,
  ProbePlan,
  ProbeResult,
  Status,
  TestWrite,
  Workflow,
} from './types.ts';
import { CAPABILITIES } from './types.ts';
import { normaliseBoxUrl } from './url.ts';

interface Endpoint {
  entity: string;
  action: 'get' | 'set';
  tag: EndpointTag;
}

export const ENDPOINTS = {
  token: { entity: 'token', action: 'get', tag: 'documented' },
  workflows: { entity: 'workflow', action: 'get', tag: 'documented' },
  statuses: { entity: 'status', action: 'get', tag: 'assumed' },
  // contact/get is documented; filtering by `emails` and `employee` is our assumption.
  employeeByEmail: { entity: 'contact', action: 'get', tag: 'assumed' },
  // Filtering contact/get by `id` is not among the documented filters.
  contactById: { entity: 'contact', action: 'get', tag: 'assumed' },
  contactSet: { entity: 'contact', action: 'set', tag: 'documented' },
  orderGet: { entity: 'order', action: 'get', tag: 'documented' },
  // order/get is documented with filters id, externalid, name; by stage is our assumption.
  ordersInStage: { entity: 'order', action: 'get', tag: 'assumed' },
  orderSet: { entity: 'order', action: 'set', tag: 'documented' },
  commentGet: { entity: 'comment', action: 'get', tag: 'assumed' },
  commentSet: { entity: 'comment', action: 'set', tag: 'assumed' },
  // The vendor's v1 method list names `order/comments/get`; its v2 name and the write are assumed.
  orderCommentsGet: { entity: 'order/comments', action: 'get', tag: 'assumed' },
  orderCommentsSet: { entity: 'order/comments', action: 'set', tag: 'assumed' },
} as const satisfies Record<string, Endpoint>;

const nameOf = (endpoint: Endpoint): string => `${endpoint.entity}/${endpoint.action}`;

/** The dialect of the public clients: what the client speaks unless told or shown otherwise. */
export const DOCUMENTED_DIALECT: Readonly<BoxDialect> = { readShape: 'filter', sort: 'orderby-object', comments: 'comment', commentsWrite: 'comment', employeeFlag: 'employee', changes: 'per-link' };

/** Each dialect's values, documented first: the order discovery tries them in. */
const DIALECT_VALUES: { [K in keyof BoxDialect]: readonly BoxDialect[K][] } = {
  readShape: ['filter', 'top-level'],
  sort: ['orderby-object', 'orderfields'],
  comments: ['comment', 'order/comments'],
  commentsWrite: ['comment', 'order/comments'],
  employeeFlag: ['employee', 'employer'],
  // Not in any public source: found by discovery (both sample orders' comments in one read).
  changes: ['per-link', 'comments-batch', 'udate-sorted', 'udate'],
};

const COMMENT_ENDPOINTS = {
  comment: { read: ENDPOINTS.commentGet, write: ENDPOINTS.commentSet },
  'order/comments': { read: ENDPOINTS.orderCommentsGet, write: ENDPOINTS.orderCommentsSet },
} as const satisfies Record<BoxDialect['comments'], { read: Endpoint; write: Endpoint }>;

/** How each way of change detection is shown in "Test connection". */
const CHANGE_SHAPES: Record<Exclude<BoxDialect['changes'], 'per-link'>, (dialect: BoxDialect) => string> = {
  'comments-batch': (dialect) => `${nameOf(COMMENT_ENDPOINTS[dialect.comments].read)} orderid: [...]`,
  'udate-sorted': (dialect) => `order/get ${shownSort('udate', dialect.sort)}, udate`,
  udate: () => 'order/get id: [...], udate',
};

/** How each read shape is shown in "Test connection". */
const READ_SHAPES: Record<BoxDialect['readShape'], string> = { filter: '{"filter": {...}}', 'top-level': 'top-level filter keys' };

export interface OneBoxClientOptions {
  /** Token cache and the per-box "needs keyed writes" flag; default in-memory. */
  memory?: KeyValueMemory;
  fetch?: typeof fetch;
  /** Per HTTP request, from when it leaves the throttle's queue. Default `REQUEST_TIMEOUT_MS`. */
  timeoutMs?: number;
  /** Request starts per second to one box, shared by all clients of that box. Default 4. */
  perSecond?: number;
  /** Requests open at once to one box, shared likewise. Default 2. */
  inFlight?: number;
  /** The box's dialect, when known. Without it: the one in `dialectMemory`, else the documented one. */
  dialect?: BoxDialect;
  /** A lasting store of each origin's discovered dialect; with it, a box of unknown dialect is discovered on first use. */
  dialectMemory?: KeyValueMemory;
}

/**
 * A stored dialect is re-discovered after a failed read at most this often: a box that keeps
 * refusing a read for its own reasons must not cost a discovery on every poll.
 */
const REDISCOVER_AFTER_MS = 10 * 60_000;

interface StoredDialect extends DialectDiscovery {
  /** Date.now() of the discovery. */
  at: number;
}

interface ResolvedDialect {
  dialect: BoxDialect;
  /** Read from `dialectMemory` (not discovered by this client) at this time: may be stale. */
  storedAt?: number;
}

/** How long one request may take before the client gives up on it. */
export const REQUEST_TIMEOUT_MS = 15_000;

// The box caps `limit` (500 in what we know); there is no offset, so this is all we can read.
const READ_LIMIT = 500;
// A look-up by one key expects one record; room for a few more shows a box that ignored the key.
const LOOKUP_LIMIT = 10;
// Enough orders to hold some whose change order differs from their id order (see sortedByUdate).
const UDATE_SAMPLE = 50;
/** The one process a test write uses, found again by its external id on every test. */
const TEST_PROCESS = {
  externalId: 'partner-sync:connection-test',
  name: 'Partner Sync: connection test (safe to delete)',
  comment: 'Partner Sync connection test: this private comment shows that the extension can write comments here.',
};
const ORDER_FIELDS = ['id', 'name', 'description', 'externalid', 'workflowid', 'statusid', 'managerid', 'clientid', 'cdate', 'customfields'];
const CUSTOM_PREFIX = 'customorder_';

interface CachedToken {
  token: string;
}

/** A read as we mean it, whatever the dialect: always with a limit, so that the answer can be held to it. */
interface ReadQuery {
  filter?: Record<string, unknown>;
  fields: string[];
  limit: number;
  /** The one column to sort by, highest first: all that any read needs. */
  descendingBy?: string;
}

/** The comment calls depend on the dialect; every other read has one endpoint. */
type ReadEndpoint = Endpoint | ((dialect: BoxDialect) => Endpoint);

/** A sort as it is sent, for "Test connection": `"orderby":"DESC","orderfields":["udate"]`. */
function shownSort(column: string, sort: BoxDialect['sort']): string {
  const { orderby, orderfields } = wireRead({ fields: [], limit: 0, descendingBy: column }, { ...DOCUMENTED_DIALECT, sort });
  return JSON.stringify({ orderby, orderfields }).slice(1, -1);
}

/** A read's body in the box's dialect. */
function wireRead(query: ReadQuery, dialect: BoxDialect): Record<string, unknown> {
  const body: Record<string, unknown> = dialect.readShape === 'filter' ? (query.filter ? { filter: query.filter } : {}) : { ...query.filter };
  body['fields'] = query.fields;
  body['limit'] = query.limit;
  const column = query.descendingBy;
  if (column !== undefined) Object.assign(body, dialect.sort === 'orderby-object' ? { orderby: { [column]: 'desc' } } : { orderby: 'DESC', orderfields: [column] });
  return body;
}

/** What makes a record of an answer one of those asked: its own value of the filtered field. */
interface Asked<T> {
  /** The field (or fields) compared, for the error's detail. */
  field: string;
  holds: (record: T) => boolean;
}

export function createOneBoxClient(credentials: BoxCredentials, options: OneBoxClientOptions = {}): OneBoxClient {
  return new BoxClient(credentials, options);
}

class BoxClient implements OneBoxClient {
  readonly origin: string;
  // Private fields: the password and tokens never show up in JSON.stringify or a console dump.
  readonly #credentials: BoxCredentials;
  readonly #options: OneBoxClientOptions;
  readonly #login: string;
  readonly #password: string;
  readonly #memory: KeyValueMemory;
  readonly #http: HttpOptions;
  readonly #tokens = new Set<string>();
  #pendingToken: Promise<string> | undefined;
  #resolved: Promise<ResolvedDialect> | undefined;

  constructor(credentials: BoxCredentials, options: OneBoxClientOptions) {
    this.origin = normaliseBoxUrl(credentials.url);
    this.#credentials = credentials;
    this.#login = credentials.login;
    this.#password = credentials.restApiPassword;
    this.#memory = options.memory ?? createInMemoryMemory();
    this.#options = { ...options, memory: this.#memory };
    this.#http = {
      origin: this.origin,
      // Bound: a bare `fetch` taken off the global object throws "Illegal invocation" in browsers.
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      timeoutMs: options.timeoutMs ?? REQUEST_TIMEOUT_MS,
      throttle: throttleFor(this.origin, { perSecond: options.perSecond ?? 4, inFlight: options.inFlight ?? 2 }),
    };
  }

  get #tokenKey(): string {
    return `onebox.token ${this.origin} ${this.#login}`;
  }

  get #keyedKey(): string {
    return `onebox.keyedWrites ${this.origin}`;
  }

  get #dialectKey(): string {
    return `onebox.dialect ${this.origin}`;
  }

  #secrets(): string[] {
    return [this.#password, ...this.#tokens];
  }

  // ---- token -------------------------------------------------------------------------

  getToken(): Promise<string> {
    return this.#token({ fresh: false });
  }

  /**
   * The cached token, however old, until the box refuses it; else a new one. No lifetime is
   * documented, and each token/get may take one of the box's licensed sessions (onebox-api.md),
   * so a token is asked for only when there is none or the box refused it. `rejected` is the
   * token the box just refused: if the cache already holds another, a parallel call has re-issued it.
   * Concurrent callers share one token/get request.
   */
  async #token(request: { fresh: boolean; rejected?: string }): Promise<string> {
    if (!request.fresh) {
      const cached = await this.#cachedToken();
      if (cached) {
        if (request.rejected === undefined) return cached.token;
        if (request.rejected !== undefined && cached.token !== request.rejected) return cached.token;
      }
      if (cached && cached.token === request.rejected) await this.#memory.delete(this.#tokenKey);
    }
    this.#pendingToken ??= this.#issueToken().finally(() => {
      this.#pendingToken = undefined;
    });
    return this.#pendingToken;
  }

  async #cachedToken(): Promise<CachedToken | undefined> {
    const stored = await this.#memory.get(this.#tokenKey);
    if (stored === undefined) return undefined;
    try {
      const value: unknown = JSON.parse(stored);
      if (typeof value !== 'object' || value === null) return undefined;
      const { token } = value as Record<string, unknown>;
      if (typeof token !== 'string' || token === '') return undefined;
      this.#tokens.add(token);
      return { token };
    } catch {
      return undefined;
    }
  }

  async #issueToken(): Promise<string> {
    const endpoint = ENDPOINTS.token;
    const raw = await postJson(this.#http, endpoint.entity, endpoint.action, { login: this.#login, restapipassword: this.#password }, undefined);
    const outcome = interpretAnswer(raw, { endpoint: nameOf(endpoint), secrets: this.#secrets(), tokenCall: true });
    if (outcome.kind !== 'data') {
      throw new OneBoxError({ kind: 'auth', messageKey: 'error_auth', endpoint: nameOf(endpoint), httpStatus: raw.httpStatus });
    }
    const { token } = parseOne(TokenAnswerSchema, outcome.data, nameOf(endpoint));
    this.#tokens.add(token);
    await this.#memory.set(this.#tokenKey, JSON.stringify({ token } satisfies CachedToken));
    return token;
  }

  // ---- the exchange ------------------------------------------------------------------

  /**
   * A read whose answer is held to what was asked before anything uses it: at most `limit`
   * records, each one `asked` by its own fields. One stray record refuses the whole answer: it
   * shows the box did not apply the filter, so the records that do match are only those it
   * happened to list first, not all there are.
   */
  async #readAsked<T>(endpoint: ReadEndpoint, query: ReadQuery, parse: (data: unknown, name: string) => T[], asked?: Asked<T>): Promise<T[]> {
    const resolved = await this.#resolveDialect();
    try {
      return await this.#readIn(resolved.dialect, endpoint, query, parse, asked);
    } catch (error) {
      const fresh = await this.#rediscoveredAfter(resolved, error);
      if (!fresh) throw error;
      return this.#readIn(fresh, endpoint, query, parse, asked);
    }
  }

  async #readIn<T>(dialect: BoxDialect, endpointIn: ReadEndpoint, query: ReadQuery, parse: (data: unknown, name: string) => T[], asked?: Asked<T>): Promise<T[]> {
    const endpoint = typeof endpointIn === 'function' ? endpointIn(dialect) : endpointIn;
    const name = nameOf(endpoint);
    const records = parse(await this.#exchange(endpoint, () => wireRead(query, dialect), false), name);
    if (records.length > query.limit) throw notAsked(name, `${records.length} records, at most ${query.limit} asked`);
    if (asked) {
      const stray = records.findIndex((record) => !asked.holds(record));
      if (stray >= 0) throw notAsked(name, `dataArray[${stray}].${asked.field}: not the one asked`);
    }
    return records;
  }

  /**
   * A write of one record. Sent as the documented bare array; a box that answers with its
   * "no first element of the array" refusal gets the same record as `{"0": record}`, and we
   * remember per box (in memory) to send that form from then on.
   */
  async #write(endpoint: Endpoint, record: Record<string, unknown>): Promise<string> {
    const data = await this.#exchange(endpoint, (keyed) => (keyed ? { 0: record } : [record]), true);
    return parseWrittenId(data, nameOf(endpoint));
  }

  async #exchange(endpoint: Endpoint, body: (keyed: boolean) => unknown, isWrite: boolean): Promise<unknown> {
    const name = nameOf(endpoint);
    let keyed = isWrite && (await this.#memory.get(this.#keyedKey)) === '1';
    let token = await this.#token({ fresh: false });
    let reissued = false;
    for (;;) {
      const raw = await postJson(this.#http, endpoint.entity, endpoint.action, body(keyed), token);
      const outcome = interpretAnswer(raw, { endpoint: name, secrets: this.#secrets() });
      if (outcome.kind === 'data') return outcome.data;
      const boxMessage = outcome.boxMessage;
      if (outcome.kind === 'token-rejected') {
        if (reissued) {
          throw new OneBoxError({ kind: 'auth', messageKey: 'error_token_rejected', endpoint: name, httpStatus: raw.httpStatus, detail: boxMessage });
        }
        reissued = true;
        token = await this.#token({ fresh: false, rejected: token });
        continue;
      }
      // keyed-needed: only a write in the array form can be helped by switching.
      if (!isWrite || keyed) {
        throw new OneBoxError({ kind: 'config', messageKey: 'error_config', endpoint: name, httpStatus: raw.httpStatus, detail: boxMessage });
      }
      keyed = true;
      await this.#memory.set(this.#keyedKey, '1');
    }
  }

  // ---- the box's dialect -------------------------------------------------------------

  /** Given, stored for the origin, or discovered now (and stored); concurrent callers share one discovery. */
  #resolveDialect(): Promise<ResolvedDialect> {
    this.#resolved ??= this.#storedOrDiscovered().catch((error: unknown) => {
      // Nothing learnt (the box is down, say): the next call tries again.
      this.#resolved = undefined;
      throw error;
    });
    return this.#resolved;
  }

  async #storedOrDiscovered(): Promise<ResolvedDialect> {
    if (this.#options.dialect) return { dialect: this.#options.dialect };
    const memory = this.#options.dialectMemory;
    if (!memory) return { dialect: DOCUMENTED_DIALECT };
    const stored = parseStoredDialect(await memory.get(this.#dialectKey));
    if (stored) return { dialect: stored.dialect, storedAt: stored.at };
    return { dialect: (await this.discoverDialect()).dialect };
  }

  /**
   * After a read failed on a stored dialect with an error a wrong dialect causes (the box
   * refused the request or answered other records): one re-discovery. Its dialect when it
   * differs (the read is worth repeating), else undefined and the read's error stands.
   */
  async #rediscoveredAfter(resolved: ResolvedDialect, error: unknown): Promise<BoxDialect | undefined> {
    const dialectError = error instanceof OneBoxError && (error.kind === 'protocol' || error.kind === 'config');
    if (!dialectError || resolved.storedAt === undefined || Date.now() - resolved.storedAt < REDISCOVER_AFTER_MS) return undefined;
    const fresh = await this.discoverDialect().catch(() => undefined);
    return fresh && !sameDialect(fresh.dialect, resolved.dialect) ? fresh.dialect : undefined;
  }

  /** A client of the same box and token that speaks exactly `dialect`: discovery's way to try one. */
  #speaking(dialect: BoxDialect): BoxClient {
    return new BoxClient(this.#credentials, { ...this.#options, dialect, dialectMemory: undefined });
  }

  async discoverDialect(options: DiscoveryOptions = {}): Promise<DialectDiscovery> {
    const findings: CapabilityFinding[] = [];
    const note = (capability: CapabilityFinding['capability'], works: boolean | null, shape: string | null | undefined): void => {
      findings.push({ capability, works, ...(works && shape ? { shape } : {}) });
    };
    const dialect: BoxDialect = { ...DOCUMENTED_DIALECT };
    const orderIds = (speaking: BoxDialect, query: Omit<ReadQuery, 'fields'>, asked?: Asked<{ id: string }>) =>
      this.#speaking(speaking).#readAsked(ENDPOINTS.orderGet, { ...query, fields: ['id'] }, listOf(OrderUdateSchema), asked).then((orders) => orders.map((o) => o.id));

    // Unfiltered and unsorted, every box answers alike: the samples the checks below ask for. A
    // box that does not even hold to the limit gives none, and no read shape works on it.
    const limited = await orderIds(dialect, { limit: 2 }).catch(refusedAs(undefined));
    const sample = limited ?? [];
    // Read shape: one order by id (or, with one order only, an id no order has) must come alone.
    const target = sample[1] ?? '0';
    const readShape = limited === undefined
      ? undefined
      : sample.length === 0
      ? null
      : await firstWorking(DIALECT_VALUES.readShape, async (shape) => {
          const ids = await orderIds({ ...dialect, readShape: shape }, { filter: { id: [wireId(target)] }, limit: LOOKUP_LIMIT }, { field: 'id', holds: (o) => o.id === target });
          return ids.length === (sample[1] === undefined ? 0 : 1);
        });
    if (readShape) dialect.readShape = readShape;
    note('readShape', readShape === null ? null : readShape !== undefined, readShape && READ_SHAPES[readShape]);

    // Sort: two orders, highest id first; a box that ignores the sort lists lowest first.
    const sort = sample.length < 2
      ? null
      : await firstWorking(DIALECT_VALUES.sort, async (shape) => {
          const orders = await this.#speaking({ ...dialect, sort: shape }).#ordersBy('id', LOOKUP_LIMIT);
          return orders.length >= 2 && newestFirst(orders);
        });
    if (sort) dialect.sort = sort;
    note('sort', sort === null ? null : sort !== undefined, sort && shownSort('id', sort));

    // Comments: an order's comments, each naming that order (listComments holds them to it).
    const comments = await firstWorking(DIALECT_VALUES.comments, async (family) => {
      await this.#speaking({ ...dialect, comments: family }).listComments(sample[0] ?? '0');
      return true;
    });
    if (comments) dialect.comments = dialect.commentsWrite = comments;
    note('commentsRead', comments !== undefined, comments && nameOf(COMMENT_ENDPOINTS[comments].read));

    // Many orders' comments in one read: the best way to find changed orders (see commentsBatchWorks).
    const batch = comments === undefined ? false : await this.#speaking(dialect).#commentsBatchWorks(sample).catch(refusedAs(false));
    note('commentsBatch', batch, 'orderid: [...]');

    // Employee: looked up by `emails`, the flag checked in the answer (see findEmployeeByEmail).
    // Without an email to look up, the flag's spelling is told by a contact that answers it.
    const email = options.employeeEmail?.trim();
    const flag = await firstWorking(DIALECT_VALUES.employeeFlag, async (spelling) => {
      if (email) return (await this.#speaking({ ...dialect, employeeFlag: spelling }).findEmployeeByEmail(email)) !== null;
      const { fields, answered } = EMPLOYEE_FLAGS[spelling];
      const [contact] = await this.#speaking(dialect).#readAsked(ENDPOINTS.employeeByEmail, { fields: ['id', ...fields], limit: 1 }, listOf(ContactSchema));
      return contact !== undefined && answered(contact);
    });
    if (flag) dialect.employeeFlag = flag;
    note('employee', flag !== undefined, flag && EMPLOYEE_FLAGS[flag].shown);

    // Writing (a comment, the assignee) is tried only in the test process the user allowed;
    // without it the comment write is named after the read, and the assignee is read back by each send.
    if (options.testWrite && comments) {
      const employee = email && flag ? await this.#speaking(dialect).findEmployeeByEmail(email) : null;
      findings.push(...(await this.#testWrites(dialect, options.testWrite, employee)));
    } else {
      findings.push(comments ? { capability: 'commentsWrite', works: true, shape: nameOf(COMMENT_ENDPOINTS[comments].write), inferred: true } : { capability: 'commentsWrite', works: false });
      findings.push({ capability: 'assignee', works: null });
    }

    // udate: readable as a date, and sortable (newest change first) in the sort found.
    const [first] = sample.length === 0 ? [] : await this.#speaking(dialect).#readAsked(ENDPOINTS.orderGet, { fields: ['id', 'udate'], limit: 1 }, listOf(OrderUdateSchema)).catch(refusedAs([]));
    const udateRead = first === undefined ? null : parseBoxDate(first.udate) !== null;
    note('udateRead', udateRead, 'udate');
    // Not sortable when unreadable or the box sorts in no known way; unknown when that is unknown.
    const udateSortable = async (): Promise<boolean | null> => {
      if (udateRead === false || sort === undefined) return false;
      if (udateRead === null || sort === null) return null;
      return sortedByUdate(await this.#speaking(dialect).#ordersBy('udate', UDATE_SAMPLE));
    };
    const udateSorted = await udateSortable().catch(refusedAs(false));
    note('udateSort', udateSorted, shownSort('udate', dialect.sort));

    // Finding changed orders: the batch comments read, else the change dates of many orders in
    // one read when they follow the comments (see udateFollowsComments), else order by order.
    const byUdate = batch || !udateRead || comments === undefined ? false : await this.#speaking(dialect).#udateFollowsComments(sample).catch(refusedAs(false));
    // With the sort, one read of the box's latest changes names the linked orders among them.
    dialect.changes = batch ? 'comments-batch' : byUdate ? (udateSorted === true ? 'udate-sorted' : 'udate') : 'per-link';
    findings.push(dialect.changes === 'per-link'
      ? { capability: 'changes', works: batch === null || byUdate === null ? null : false }
      : { capability: 'changes', works: true, shape: CHANGE_SHAPES[dialect.changes](dialect) });

    findings.sort((a, b) => CAPABILITIES.indexOf(a.capability) - CAPABILITIES.indexOf(b.capability));
    const discovery: DialectDiscovery = { dialect, findings };
    const memory = this.#options.dialectMemory;
    if (memory && !this.#options.dialect) {
      await memory.set(this.#dialectKey, JSON.stringify({ ...discovery, at: Date.now() } satisfies StoredDialect));
      this.#resolved = Promise.resolve({ dialect });
    }
    return discovery;
  }

  /**
   * Two orders' comments asked in one read come back together: the union of what each read
   * alone gives. An order that has comments is asked last, so a box that takes only the first
   * value of a list is caught; null when neither has any (nothing to tell by).
   */
  async #commentsBatchWorks(sample: readonly string[]): Promise<boolean | null> {
    if (sample.length < 2) return null;
    const alone = new Map<string, string[]>();
    for (const id of sample) alone.set(id, (await this.listComments(id)).map((comment) => comment.id));
    const asked = [...sample].sort((a, b) => alone.get(a)!.length - alone.get(b)!.length);
    const union = asked.flatMap((id) => alone.get(id)!);
    if (union.length === 0) return null;
    const { comments } = await this.listCommentsOfOrders(asked);
    return comments.length === union.length && comments.every((comment) => union.includes(comment.id));
  }

  /**
   * The sample orders' change dates come back together in one read, and each is no older than
   * its newest comment (a new comment moves `udate` in the engine, onebox-api.md); null when
   * neither has a comment to tell by.
   */
  async #udateFollowsComments(sample: readonly string[]): Promise<boolean | null> {
    if (sample.length < 2) return null;
    const dates = await this.changeDates(sample);
    if (dates.length !== sample.length) return false;
    let told = false;
    for (const { id, udate } of dates) {
      const newest = (await this.listComments(id)).at(-1)?.createdAt;
      if (newest === undefined || newest === null) continue;
      const changed = parseBoxDate(udate);
      if (changed === null || changed < newest) return false;
      told = true;
    }
    return told ? true : null;
  }

  async changeDates(orderIds: readonly string[]): Promise<{ id: string; udate: string | null }[]> {
    const asked = new Set(orderIds);
    return this.#readAsked(
      ENDPOINTS.orderGet,
      { filter: { id: orderIds.map(wireId) }, fields: ['id', 'udate'], limit: orderIds.length },
      listOf(OrderUdateSchema),
      { field: 'id', holds: (order) => asked.has(order.id) },
    );
  }

  recentChangeDates(limit: number): Promise<{ id: string; udate: string | null }[]> {
    return this.#ordersBy('udate', limit);
  }

  /** Orders with their `udate`, sorted by `column`, highest first. */
  #ordersBy(column: 'id' | 'udate', limit: number): Promise<InferOutput<typeof OrderUdateSchema>[]> {
    return this.#readAsked(ENDPOINTS.orderGet, { fields: column === 'id' ? ['id'] : ['id', 'udate'], limit, descendingBy: column }, listOf(OrderUdateSchema));
  }

  /**
   * The writes the user allowed: the test process (the same one each time, by its external id)
   * in the chosen stage, assigned to the employee, its `managerid` read back; then a private
   * comment in it by each write call in turn until one is read back. Sets `dialect.commentsWrite`.
   */
  async #testWrites(dialect: BoxDialect, scratch: TestWrite, employee: Contact | null): Promise<CapabilityFinding[]> {
    const speaking = this.#speaking(dialect);
    let processId: string;
    try {
      processId = await speaking.upsertOrder({
        externalId: TEST_PROCESS.externalId,
        workflowId: scratch.workflowId,
        statusId: scratch.statusId,
        name: TEST_PROCESS.name,
        ...(employee ? { managerId: employee.id } : {}),
      });
    } catch (error) {
      // A refused process leaves nothing to write into; any other failure ends the discovery.
      refusedAs(undefined)(error);
      const detail = (error as OneBoxError).detail;
      const refused = { works: false, ...(detail ? { detail } : {}) };
      return [{ capability: 'commentsWrite', ...refused }, { capability: 'assignee', ...refused }];
    }
    const written = await speaking.getOrder(processId, ['managerid']);
    const assignee: CapabilityFinding = employee
      ? { capability: 'assignee', works: written?.managerId === employee.id, ...(written?.managerId === employee.id ? { shape: 'managerid' } : {}) }
      : { capability: 'assignee', works: null };

    // `comment/set` first (the issue's evidence names it), then the read's sibling.
    const candidates = [...new Set<BoxDialect['commentsWrite']>(['comment', dialect.comments])];
    const family = await firstWorking(candidates, async (candidate) => {
      const id = await this.#speaking({ ...dialect, commentsWrite: candidate }).addComment(processId, TEST_PROCESS.comment, false);
      return (await speaking.listComments(processId)).some((comment) => comment.id === id && comment.content.trim() === TEST_PROCESS.comment);
    });
    if (family) dialect.commentsWrite = family;
    return [family ? { capability: 'commentsWrite', works: true, shape: nameOf(COMMENT_ENDPOINTS[family].write) } : { capability: 'commentsWrite', works: false }, assignee];
  }

  // ---- operations --------------------------------------------------------------------

  async listWorkflows(): Promise<Workflow[]> {
    // No filter: only the limit to hold the answer to.
    const workflows = await this.#readAsked(ENDPOINTS.workflows, { fields: ['id', 'name'], limit: READ_LIMIT }, listOf(WorkflowSchema));
    return workflows.map(({ id, name }) => ({ id, name }));
  }

  async listStatuses(workflowId: string): Promise<Status[]> {
    // Each stage names its own process: another process's stage would start a process wrongly.
    const statuses = await this.#readAsked(
      ENDPOINTS.statuses,
      { filter: { workflowid: [wireId(workflowId)] }, fields: ['id', 'name', 'workflowid', 'startstatus'], limit: READ_LIMIT },
      listOf(StatusSchema),
      { field: 'workflowid', holds: (status) => status.workflowid === workflowId },
    );
    return statuses.map((status): Status => ({
      id: status.id,
      name: status.name,
      workflowId,
      ...(status.startstatus !== null ? { isStart: status.startstatus } : {}),
    }));
  }

  async findEmployeeByEmail(email: string): Promise<Contact | null> {
    const wanted = email.trim().toLowerCase();
    if (wanted === '') return null;
    // Each contact's own emails must hold the address: a box that ignored the filter cannot
    // make us assign a process to a stranger.
    // The flag is checked in the answer too: a box that ignores a filter key does not say so.
    const flag = EMPLOYEE_FLAGS[(await this.#resolveDialect()).dialect.employeeFlag];
    const matches = await this.#readAsked(
      ENDPOINTS.employeeByEmail,
      { filter: { emails: [wanted], ...flag.filter }, fields: ['id', 'name', 'namelast', 'emails', 'phones', ...flag.fields], limit: LOOKUP_LIMIT },
      listOf(ContactSchema),
      { field: 'emails', holds: (contact) => contact.emails.some((item) => item.toLowerCase() === wanted) },
    );
    const match = matches.find(flag.isEmployee);
    return match ? toContact(match) : null;
  }

  async getContact(contactId: string): Promise<Contact | null> {
    const [match] = await this.#readAsked(
      ENDPOINTS.contactById,
      { filter: { id: [wireId(contactId)] }, fields: ['id', 'name', 'namelast', 'emails', 'phones'], limit: LOOKUP_LIMIT },
      listOf(ContactSchema),
      { field: 'id', holds: (contact) => contact.id === contactId },
    );
    return match ? toContact(match) : null;
  }

  /**
   * Ids of the processes standing in one stage, lowest first, at most 500. Each order's own
   * `workflowid` and `statusid` must be those asked: a box that ignored the filter must not
   * make auto-send pick up every order it has.
   */
  async listOrderIdsInStage(workflowId: string, statusId: string): Promise<string[]> {
    const orders = await this.#readAsked(
      ENDPOINTS.ordersInStage,
      { filter: { workflowid: [wireId(workflowId)], statusid: [wireId(statusId)] }, fields: ['id', 'workflowid', 'statusid'], limit: READ_LIMIT },
      listOf(OrderSchema),
      { field: 'workflowid, statusid', holds: (order) => order.workflowid === workflowId && order.statusid === statusId },
    );
    return orders.map((order) => order.id).sort(compareIds);
  }

  /**
   * Decision: the box's own find-or-create (`findbyArray` + `returnwithoutupdate`), keyed by
   * the email when there is one, else by the phone: one key, because whether a box combines
   * two keys with "and" or "or" is not known, and an email names a person more surely than a
   * shared office phone. The other value is still stored on a new contact.
   */
  async findOrCreateContact(contact: ContactInput): Promise<string> {
    const email = contact.email?.trim() ?? '';
    const phone = contact.phone?.trim() ?? '';
    const endpoint = nameOf(ENDPOINTS.contactSet);
    if (email === '' && phone === '') {
      throw new OneBoxError({ kind: 'config', messageKey: 'error_contact_needs_key', endpoint });
    }
    const record: Record<string, unknown> = {
      name: contact.name,
      typesex: contact.company ? 'company' : 'person',
      findbyArray: [email !== '' ? 'email' : 'phone'],
      returnwithoutupdate: 1,
    };
    if (contact.namelast !== undefined) record['namelast'] = contact.namelast;
    if (email !== '') record['emails'] = [email];
    if (phone !== '') record['phones'] = [phone];
    return this.#write(ENDPOINTS.contactSet, record);
  }

  /**
   * `fields` are the box's names: `name`, `statusid`, `customfields`, `customorder_<key>`, …;
   * `id` is always asked. Custom values land in `customFields` whichever form was asked.
   */
  async getOrder(orderId: string, fields: string[]): Promise<Order | null> {
    const [order] = await this.getOrders([orderId], fields);
    return order ?? null;
  }

  /** The orders asked that the box has, in one read; every one of the answer is one of them. */
  getOrders(orderIds: readonly string[], fields: string[]): Promise<Order[]> {
    const asked = new Set(orderIds);
    const wanted = [...new Set(['id', ...fields])];
    return this.#readOrders({ id: orderIds.map(wireId) }, wanted, { field: 'id', holds: (item) => asked.has(item.id) }, Math.max(LOOKUP_LIMIT, orderIds.length));
  }

  /** Changes an order found by its id (`orderid` matches on `order/set`, documented): its stage, its custom fields. */
  async updateOrder(orderId: string, change: OrderChange): Promise<void> {
    const wire: Record<string, unknown> = { orderid: wireId(orderId) };
    if (change.statusId !== undefined) wire['statusid'] = wireId(change.statusId);
    if (change.customFields !== undefined) wire['customfields'] = { ...change.customFields };
    const written = await this.#write(ENDPOINTS.orderSet, wire);
    // The box answers with the id it wrote: another one means it made a process instead.
    if (written !== orderId) {
      throw new OneBoxError({ kind: 'protocol', messageKey: 'error_protocol', endpoint: nameOf(ENDPOINTS.orderSet), detail: `order/set orderid ${orderId} answered ${written}` });
    }
  }

  /**
   * An answer without the order asked is refused, not read as "none": a box that ignored the
   * filter would otherwise have the send create a second process.
   */
  async findOrderByExternalId(externalId: string): Promise<Order | null> {
    // External ids are text on our side and the box's: never turned into numbers.
    const [order] = await this.#readOrders({ externalid: [externalId] }, ORDER_FIELDS, { field: 'externalid', holds: (item) => item.externalId === externalId });
    return order ?? null;
  }

  #readOrders(filter: Record<string, unknown>, fields: string[], asked?: Asked<Order>, limit = LOOKUP_LIMIT): Promise<Order[]> {
    const parse = (data: unknown, endpoint: string) => listItems(data, endpoint).map((item, index) => toOrder(item, fields, endpoint, index));
    return this.#readAsked(ENDPOINTS.orderGet, { filter, fields, limit }, parse, asked);
  }

  async upsertOrder(record: OrderWrite): Promise<string> {
    if (record.externalId.trim() === '') {
      // Without an external id the box would create a new process on every retry.
      throw new OneBoxError({ kind: 'config', messageKey: 'error_config', endpoint: nameOf(ENDPOINTS.orderSet) });
    }
    const wire: Record<string, unknown> = { externalid: record.externalId };
    if (record.workflowId !== undefined) wire['workflowid'] = wireId(record.workflowId);
    if (record.statusId !== undefined) wire['statusid'] = wireId(record.statusId);
    if (record.name !== undefined) wire['name'] = record.name;
    if (record.description !== undefined) wire['description'] = record.description;
    if (record.managerId !== undefined) wire['managerid'] = wireId(record.managerId);
    // Only `client.userid` sets the client: a top-level `clientid` is ignored by boxes, and
    // name fields would create a duplicate contact (onebox-api.md).
    if (record.clientId !== undefined) wire['client'] = { userid: wireId(record.clientId) };
    if (record.customFields !== undefined && Object.keys(record.customFields).length > 0) {
      wire['customfields'] = { ...record.customFields };
    }
    return this.#write(ENDPOINTS.orderSet, wire);
  }

  /**
   * Decision: the only documented comment filter is `orderid`, so we read up to 500 of the
   * order's comments and keep, on our side, those with an id numerically above `afterId`,
   * oldest (lowest id) first. Each comment must name the order asked: another process's comment
   * copied to a partner would leak it.
   */
  async listComments(orderId: string, afterId?: string): Promise<Comment[]> {
    const { comments } = await this.#commentsOf([orderId]);
    return afterId === undefined ? comments : comments.filter((comment) => compareIds(comment.id, afterId) > 0);
  }

  listCommentsOfOrders(orderIds: readonly string[]): Promise<{ comments: Comment[]; full: boolean }> {
    return this.#commentsOf(orderIds);
  }

  async changeDetection(): Promise<BoxDialect['changes']> {
    return (await this.#resolveDialect()).dialect.changes;
  }

  /**
   * The newest READ_LIMIT comments of the orders asked, oldest first. The fields asked are
   * exactly those of onebox-api.md (a box may refuse an unknown field name); should a box add a
   * `type`, feed items that are not comments (stage changes, notifications, calls, …) are dropped.
   */
  async #commentsOf(orderIds: readonly string[]): Promise<{ comments: Comment[]; full: boolean }> {
    const asked = new Set(orderIds);
    // Newest first: no offset is known, so of more than READ_LIMIT comments only one page can
    // be read, and it must hold the newest (what "after a given id" asks for).
    const read = await this.#readAsked(
      commentsRead,
      {
        filter: { orderid: orderIds.map(wireId) },
        fields: ['id', 'orderid', 'content', 'cdate', 'userid', 'username', 'clientvisible'],
        descendingBy: 'id',
        limit: READ_LIMIT,
      },
      listOf(CommentSchema),
      { field: 'orderid', holds: (comment) => comment.orderid !== null && asked.has(comment.orderid) },
    );
    // Decision: `orderby` is assumed, and a box that ignores it lists oldest first. A page short
    // of the limit is every comment asked for, whatever its order. A full page that is not
    // newest first may leave out the newest comments, so it is refused with its own error
    // rather than paged: no offset and no "id above" filter are known (only id equality), and
    // paging by id would need the very sort the box ignored.
    const full = read.length === READ_LIMIT;
    if (full && !newestFirst(read)) {
      throw new OneBoxError({
        kind: 'protocol',
        messageKey: 'error_sort_ignored',
        endpoint: nameOf(commentsRead((await this.#resolveDialect()).dialect)),
        detail: `a full page of ${READ_LIMIT} comments, not newest first`,
      });
    }
    const comments = read
      .filter((item) => item.type === null || item.type === 'comment')
      .sort((a, b) => compareIds(a.id, b.id))
      .map((item): Comment => ({
        id: item.id,
        // Held to the orders asked above, so never null here.
        orderId: item.orderid ?? '',
        content: item.content,
        createdAt: parseBoxDate(item.cdate),
        createdAtRaw: item.cdate,
        authorId: item.userid,
        authorName: item.username,
        clientVisible: item.clientvisible,
      }));
    return { comments, full };
  }

  async addComment(orderId: string, content: string, clientVisible: boolean): Promise<string> {
    const { dialect } = await this.#resolveDialect();
    return this.#write(COMMENT_ENDPOINTS[dialect.commentsWrite].write, { orderid: wireId(orderId), content, clientvisible: clientVisible ? 1 : 0 });
  }

  // ---- "Test connection" ---------------------------------------------------------------

  /**
   * Every read the partner settings rely on, in order, each reported on its own. Writes are
   * never probed: a test must not leave a process or a comment in the partner's box. When
   * the token fails, the rest are reported as skipped rather than refused five times more.
   */
  async probe(plan: ProbePlan): Promise<ProbeResult[]> {
    const results: ProbeResult[] = [];
    const comments = commentsRead((await this.#resolveDialect()).dialect);
    const step = async (call: ProbeCall, endpoint: Endpoint, run: () => Promise<MessageKey | undefined>): Promise<boolean> => {
      const base = { call, endpoint: nameOf(endpoint), tag: endpoint.tag };
      try {
        const problem = await run();
        results.push(problem ? { ...base, ok: false, messageKey: problem } : { ...base, ok: true });
        return problem === undefined;
      } catch (error) {
        if (error instanceof OneBoxError) {
          results.push({ ...base, ok: false, messageKey: error.messageKey, ...(error.detail ? { message: error.detail } : {}) });
        } else {
          results.push({ ...base, ok: false, messageKey: 'error_protocol' });
        }
        return false;
      }
    };
    const skip = (call: ProbeCall, endpoint: Endpoint) =>
      results.push({ call, endpoint: nameOf(endpoint), tag: endpoint.tag, ok: false, messageKey: 'error_probe_skipped' });

    // A fresh token: a cached one would hide a password changed since.
    const tokenOk = await step('token', ENDPOINTS.token, async () => {
      await this.#token({ fresh: true });
      return undefined;
    });
    if (!tokenOk) {
      skip('workflows', ENDPOINTS.workflows);
      if (plan.workflowId !== undefined) skip('statuses', ENDPOINTS.statuses);
      if (plan.assigneeEmail !== undefined) skip('employee', ENDPOINTS.employeeByEmail);
      skip('order', ENDPOINTS.orderGet);
      skip('comments', comments);
      return results;
    }

    await step('workflows', ENDPOINTS.workflows, async () => {
      const workflows = await this.listWorkflows();
      return plan.workflowId !== undefined && !workflows.some((w) => w.id === plan.workflowId) ? 'error_unknown_workflow' : undefined;
    });
    const workflowId = plan.workflowId;
    if (workflowId !== undefined) {
      await step('statuses', ENDPOINTS.statuses, async () => {
        const statuses = await this.listStatuses(workflowId);
        if (statuses.length === 0) return 'error_unknown_workflow';
        return plan.statusId !== undefined && !statuses.some((s) => s.id === plan.statusId) ? 'error_unknown_status' : undefined;
      });
    }
    const email = plan.assigneeEmail;
    if (email !== undefined) {
      await step('employee', ENDPOINTS.employeeByEmail, async () => ((await this.findEmployeeByEmail(email)) ? undefined : 'error_unknown_employee'));
    }
    let sampleOrderId = plan.orderId;
    await step('order', ENDPOINTS.orderGet, async () => {
      if (sampleOrderId !== undefined) {
        await this.getOrder(sampleOrderId, ['id', 'statusid']);
      } else {
        sampleOrderId = (await this.#readOrders({}, ['id']))[0]?.id;
      }
      return undefined;
    });
    // With no order to hand, an order id that matches nothing still shows the call works.
    await step('comments', comments, async () => {
      await this.listComments(sampleOrderId ?? '0');
      return undefined;
    });
    return results;
  }
}

/** The engine's `level` of an employee (2) and of an administrator (3). */
const EMPLOYEE_LEVELS = ['2', '3'];

interface EmployeeFlag {
  /** Filter keys besides `emails`. */
  filter: Record<string, unknown>;
  fields: string[];
  isEmployee: (contact: EmployeeFlags) => boolean;
  /** The box answered the flag's field at all (it did not drop a field it does not know). */
  answered: (contact: EmployeeFlags) => boolean;
  /** As shown in "Test connection". */
  shown: string;
}

const EMPLOYEE_FLAGS: Record<BoxDialect['employeeFlag'], EmployeeFlag> = {
  employee: { filter: { employee: 1 }, fields: ['employee'], isEmployee: (c) => c.employee === true, answered: (c) => c.employee !== null, shown: 'employee' },
  // The engine's `employer` column is not known as a filter: the emails alone, the flag read back.
  employer: {
    filter: {},
    fields: ['employer', 'level'],
    isEmployee: (c) => c.employer === true || EMPLOYEE_LEVELS.includes(String(c.level)),
    answered: (c) => c.employer !== null || c.level !== null,
    shown: 'employer + level',
  },
};

const commentsRead = (dialect: BoxDialect): Endpoint => COMMENT_ENDPOINTS[dialect.comments].read;

type EmployeeFlags = Pick<InferOutput<typeof ContactSchema>, 'employee' | 'employer' | 'level'>;

/**
 * The first candidate whose check holds; undefined when none does. A refusal (config) or an
 * answer not as asked (protocol) rules a candidate out; any other failure (the box is down, the
 * password is wrong) ends the discovery, as it tells nothing about the dialect.
 */
async function firstWorking<T>(candidates: readonly T[], works: (candidate: T) => Promise<boolean>): Promise<T | undefined> {
  for (const candidate of candidates) {
    if (await works(candidate).catch(refusedAs(false))) return candidate;
  }
  return undefined;
}

/** For `.catch`: a dialect-shaped refusal becomes `value`; anything else is thrown on. */
function refusedAs<T>(value: T): (error: unknown) => T {
  return (error) => {
    if (error instanceof OneBoxError && (error.kind === 'config' || error.kind === 'protocol')) return value;
    throw error;
  };
}

function sameDialect(a: BoxDialect, b: BoxDialect): boolean {
  return (Object.keys(DIALECT_VALUES) as (keyof BoxDialect)[]).every((key) => a[key] === b[key]);
}

/** A stored discovery, or undefined when there is none or it is not one this version knows. */
function parseStoredDialect(stored: string | undefined): StoredDialect | undefined {
  if (stored === undefined) return undefined;
  try {
    const value = JSON.parse(stored) as Partial<StoredDialect>;
    const dialect = value.dialect as Record<string, unknown> | undefined;
    const known = dialect !== undefined && Object.entries(DIALECT_VALUES).every(([key, values]) => (values as readonly unknown[]).includes(dialect[key]));
    return known && typeof value.at === 'number' && Array.isArray(value.findings) ? (value as StoredDialect) : undefined;
  } catch {
    return undefined;
  }
}

/** The box answered with records other than those asked for; nothing may act on the answer. */
function notAsked(endpoint: string, detail: string): OneBoxError {
  return new OneBoxError({ kind: 'protocol', messageKey: 'error_filter_ignored', endpoint, detail });
}

/** A list parser for `#readAsked`. */
function listOf<S extends GenericSchema>(schema: S): (data: unknown, endpoint: string) => InferOutput<S>[] {
  return (data, endpoint) => parseList(schema, data, endpoint);
}

/**
 * Orders sorted by `udate`, newest first: true, false, or null when the sample cannot tell a
 * box that sorted by `udate` from one that sorted by id (or did not sort) — all changed at the
 * same time, or changed in the order they were made.
 */
function sortedByUdate(orders: readonly { id: string; udate: string | null }[]): boolean | null {
  const dates = orders.map((order) => parseBoxDate(order.udate));
  if (dates.some((date) => date === null)) return false;
  if (!dates.every((date, index) => index === 0 || dates[index - 1]! >= date!)) return false;
  return new Set(dates).size < 2 || newestFirst(orders) ? null : true;
}

/** Ids strictly falling: the box applied `orderby: {id: 'desc'}`. */
function newestFirst(comments: readonly { id: string }[]): boolean {
  return comments.every((comment, index) => index === 0 || compareIds(comments[index - 1]!.id, comment.id) > 0);
}

function toContact(contact: { id: string; name: string | null; namelast: string | null; emails: string[]; phones: string[] }): Contact {
  return { id: contact.id, name: contact.name ?? '', namelast: contact.namelast ?? '', emails: contact.emails, phones: contact.phones };
}

function toOrder(item: unknown, requested: readonly string[], endpoint: string, index: number): Order {
  const order = parseOne(OrderSchema, item, endpoint, `dataArray[${index}]`);
  const raw = item as Record<string, unknown>;
  const customFields: Record<string, string> = { ...(order.customfields ?? {}) };
  const fields: Record<string, string> = {};
  for (const name of requested) {
    if (!(name in raw) || name === 'customfields') continue;
    const value = parseOne(ScalarTextSchema, raw[name], endpoint, `dataArray[${index}].${name}`);
    fields[name] = value;
    if (name.startsWith(CUSTOM_PREFIX)) customFields[name.slice(CUSTOM_PREFIX.length)] = value;
  }
  return {
    id: order.id,
    externalId: order.externalid === null || order.externalid === '' ? null : order.externalid,
    name: order.name,
    description: order.description,
    workflowId: order.workflowid,
    statusId: order.statusid,
    managerId: order.managerid,
    clientId: order.clientid,
    createdAt: parseBoxDate(order.cdate),
    createdAtRaw: order.cdate,
    customFields,
    fields,
  };
}
