// The smaller entities: workflows, stages (assumed call), contacts, comments (assumed calls).
// Comments answer at `comment/*` or, in the top-level dialect, `order/comments/*` (see api.ts).
//
// Sandbox decision on `comment/get/`: the filter keys are `orderid`, `id` and `type` only
// (scalar or list). There is NO `idfrom` / "newer than" filter: an unknown filter key is an
// error. Items come oldest first (id ascending); `limit` defaults to 100, capped at 500.
// Without a `type` filter only type "comment" items are returned (system events are not).
import { isRecord } from './http.ts';
import {
  ApiError,
  flagOf,
  idOf,
  matchesFilter,
  parseGetQuery,
  phoneDigits,
  sortAndLimit,
  textOf,
  type ReadQuirks,
} from './input.ts';
import { formatDate, type Store } from './state.ts';
import type { CommentRecord, CommentType, ContactRecord, Quirks, SandboxDialect } from './types.ts';

function pick<T extends object>(record: T, fields: readonly string[], view: (record: T, field: string) => unknown): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field, view(record, field)]));
}

function field<T extends object>(record: T, name: string): string {
  const value: unknown = (record as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

const WORKFLOW_FIELDS = ['id', 'name'];

export function workflowGet(body: unknown, store: Store, quirks: ReadQuirks): Record<string, unknown>[] {
  const query = parseGetQuery(body, { filters: ['id', 'name'], isField: (f) => WORKFLOW_FIELDS.includes(f), sortable: WORKFLOW_FIELDS }, quirks);
  const rows = store.state.workflows.filter((w) => matchesFilter(query.filter, (key) => [field(w, key)]));
  return sortAndLimit(rows, query, field).map((w) => pick(w, query.fields ?? WORKFLOW_FIELDS, field));
}

const STATUS_FIELDS = ['id', 'name', 'workflowid', 'startstatus', 'sort'];

export function statusGet(body: unknown, store: Store, quirks: ReadQuirks): Record<string, unknown>[] {
  const query = parseGetQuery(body, {
    filters: ['id', 'workflowid', 'startstatus'],
    isField: (f) => STATUS_FIELDS.includes(f),
    sortable: STATUS_FIELDS,
  }, quirks);
  const rows = store.state.statuses.filter((s) => matchesFilter(query.filter, (key) => [field(s, key)]));
  return sortAndLimit(rows, query, field).map((s) => pick(s, query.fields ?? STATUS_FIELDS, field));
}

const CONTACT_FIELDS = ['id', 'name', 'namelast', 'phones', 'emails', 'typesex', 'company'];
/** How each dialect spells the employee flag: `employee` 1, or the engine's `employer` 1 with `level` 2. */
const EMPLOYEE_FLAG_FIELDS: Record<SandboxDialect, string[]> = { wrapped: ['employee'], 'top-level': ['employer', 'level'] };

function contactField(contact: ContactRecord, name: string): string {
  if (name === 'employer') return contact.employee;
  if (name === 'level') return contact.employee === '1' ? '2' : '0';
  return field(contact, name);
}

function contactValues(contact: ContactRecord, key: string): string[] {
  if (key === 'phones') return contact.phones;
  if (key === 'emails') return contact.emails;
  return [contactField(contact, key)];
}

function contactEqual(key: string, have: string, wanted: string): boolean {
  if (key === 'phones') return phoneDigits(have) !== '' && phoneDigits(have) === phoneDigits(wanted);
  if (key === 'emails' || key === 'name' || key === 'namelast') return have.toLowerCase() === wanted.toLowerCase();
  return have === wanted;
}

export function contactGet(body: unknown, store: Store, quirks: ReadQuirks): Record<string, unknown>[] {
  const fields = [...CONTACT_FIELDS, ...EMPLOYEE_FLAG_FIELDS[quirks.dialect]];
  const query = parseGetQuery(body, {
    filters: ['id', 'name', 'namelast', 'phones', 'emails', 'typesex', ...EMPLOYEE_FLAG_FIELDS[quirks.dialect]],
    isField: (f) => fields.includes(f),
    sortable: ['id', 'name', 'namelast', 'cdate'],
  }, quirks);
  const rows = store.state.contacts.filter((c) => matchesFilter(query.filter, (key) => contactValues(c, key), contactEqual));
  return sortAndLimit(rows, query, field).map((c) =>
    pick(c, query.fields ?? fields, (record, name) =>
      name === 'phones' ? [...record.phones] : name === 'emails' ? [...record.emails] : contactField(record, name),
    ),
  );
}

function listOf(record: Record<string, unknown>, key: string): string[] | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  const items = Array.isArray(value) ? value : [value];
  if (items.some((v) => typeof v !== 'string' && typeof v !== 'number')) throw new ApiError({ [key]: `Invalid ${key}` });
  return items.map((v) => String(v).trim()).filter((v) => v !== '');
}

/**
 * `findbyArray` (keys "phone", "email") finds an existing contact, first key first; found
 * and `returnwithoutupdate` = 1 -> its id, untouched; found otherwise -> updated (names
 * replaced when given, phones and emails added). Not found, or no findbyArray -> created,
 * duplicates included.
 */
export function contactSet(records: unknown[], store: Store, now: Date): string[] {
  return records.map((raw) => {
    if (!isRecord(raw)) throw new ApiError(['Each record must be an object']);
    const name = textOf(raw, 'name');
    const namelast = textOf(raw, 'namelast');
    const company = textOf(raw, 'company');
    const typesex = textOf(raw, 'typesex');
    if (typesex !== undefined && typesex !== 'person' && typesex !== 'company') throw new ApiError({ typesex: 'Invalid typesex' });
    const phones = listOf(raw, 'phones');
    const emails = listOf(raw, 'emails');
    const keepAsIs = raw.returnwithoutupdate === undefined ? false : flagOf(raw.returnwithoutupdate, 'returnwithoutupdate') === '1';

    let found: ContactRecord | undefined;
    if (raw.findbyArray !== undefined) {
      if (!Array.isArray(raw.findbyArray)) throw new ApiError({ findbyArray: 'findbyArray must be a list' });
      for (const key of raw.findbyArray) {
        if (key !== 'phone' && key !== 'email') throw new ApiError({ findbyArray: `Unknown key ${String(key)}` });
        const wanted = key === 'phone' ? phones ?? [] : emails ?? [];
        found ??= store.state.contacts.find((c) =>
          wanted.some((w) => (key === 'phone' ? c.phones : c.emails).some((h) => contactEqual(`${key}s`, h, w))),
        );
      }
    }
    if (found) {
      if (!keepAsIs) {
        if (name) found.name = name;
        if (namelast) found.namelast = namelast;
        if (company) found.company = company;
        if (typesex === 'person' || typesex === 'company') found.typesex = typesex;
        for (const p of phones ?? []) if (!found.phones.some((h) => contactEqual('phones', h, p))) found.phones.push(p);
        for (const e of emails ?? []) if (!found.emails.some((h) => contactEqual('emails', h, e))) found.emails.push(e);
      }
      return found.id;
    }
    if (!name && !namelast && !company) throw new ApiError({ name: 'Contact name is empty' });
    const created: ContactRecord = {
      id: store.nextId('contact'),
      name: name ?? '',
      namelast: namelast ?? '',
      typesex: typesex === 'company' ? 'company' : 'person',
      phones: phones ?? [],
      emails: emails ?? [],
      employee: '0',
      company: company ?? '',
      cdate: formatDate(now),
    };
    store.state.contacts.push(created);
    return created.id;
  });
}

const COMMENT_FIELDS = ['id', 'orderid', 'content', 'cdate', 'userid', 'username', 'clientvisible', 'type'];
const COMMENT_TYPES: readonly CommentType[] = ['comment', 'change', 'notify', 'email', 'call', 'sms', 'result'];

export function commentGet(body: unknown, store: Store, quirks: ReadQuirks & Pick<Quirks, 'commentsOfAnotherOrder' | 'commentsOfOneOrder'>): Record<string, unknown>[] {
  const query = parseGetQuery(body, {
    filters: ['orderid', 'id', 'type'],
    isField: (f) => COMMENT_FIELDS.includes(f),
    sortable: ['id', 'cdate'],
  }, quirks);
  if (!query.filter.has('type')) query.filter.set('type', ['comment']);
  if (quirks.commentsOfOneOrder) query.filter.set('orderid', (query.filter.get('orderid') ?? []).slice(0, 1));
  if (quirks.commentsOfAnotherOrder) query.filter.set('orderid', [anotherOrderWithComments(store, query.filter.get('orderid') ?? [])]);
  const rows = store.state.comments.filter((c) => matchesFilter(query.filter, (key) => [field(c, key)]));
  return sortAndLimit(rows, query, field).map((c) =>
    pick(c, query.fields ?? COMMENT_FIELDS, (record, name) => (name === 'username' ? store.userName(record.userid) : field(record, name))),
  );
}

/** For the commentsOfAnotherOrder quirk: the lowest-id process with comments that was not asked for ('' when none). */
function anotherOrderWithComments(store: Store, asked: readonly string[]): string {
  const lowest = store.state.comments
    .filter((c) => c.type === 'comment' && !asked.includes(c.orderid))
    .reduce((min, c) => Math.min(min, Number(c.orderid)), Infinity);
  return Number.isFinite(lowest) ? String(lowest) : '';
}

export function commentSet(records: unknown[], authorId: string, store: Store, now: Date): string[] {
  return records.map((raw) => {
    if (!isRecord(raw)) throw new ApiError(['Each record must be an object']);
    if (raw.orderid === undefined) throw new ApiError({ orderid: 'orderid is required' });
    const orderid = idOf(raw.orderid, 'orderid');
    if (!store.order(orderid)) throw new ApiError({ orderid: `Unknown order ${orderid}` });
    if (typeof raw.content !== 'string' || raw.content.trim() === '') throw new ApiError({ content: 'Comment is empty' });
    const clientvisible = raw.clientvisible === undefined ? '1' : flagOf(raw.clientvisible, 'clientvisible');
    const type = raw.type === undefined ? 'comment' : COMMENT_TYPES.find((t) => t === raw.type);
    if (type === undefined) throw new ApiError({ type: 'Unknown comment type' });
    return addComment(store, { orderid, type, content: raw.content, userid: authorId, clientvisible }, now);
  });
}

/** Stores a feed item exactly as given (no HTML processing) and touches the process. */
export function addComment(store: Store, item: Omit<CommentRecord, 'id' | 'cdate'>, now: Date): string {
  const comment: CommentRecord = { id: store.nextId('comment'), cdate: formatDate(now), ...item };
  store.state.comments.push(comment);
  const order = store.order(item.orderid);
  if (order) order.udate = comment.cdate;
  return comment.id;
}

export function isCommentType(value: string): value is CommentType {
  return (COMMENT_TYPES as readonly string[]).includes(value);
}
