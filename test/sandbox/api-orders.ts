// `order/get/` and `order/set/`: processes. Matching on write is by `orderid`, else by an
// existing `externalid`, else a new process is created (documented behaviour).
import { isRecord } from './http.ts';
import {
  ApiError,
  idOf,
  matchesFilter,
  parseGetQuery,
  sortAndLimit,
  textOf,
  type GetQuery,
  type ReadQuirks,
} from './input.ts';
import { formatDate, type Store } from './state.ts';
import type { ContactRecord, CustomFieldDef, OrderRecord, Quirks } from './types.ts';

const ORDER_FIELDS = [
  'id',
  'name',
  'description',
  'externalid',
  'workflowid',
  'statusid',
  'managerid',
  'clientid',
  'cdate',
  'udate',
] as const;
type OrderField = (typeof ORDER_FIELDS)[number];

/** Sandbox decision: without `fields`, the plain fields are returned, custom fields only on request. */
const DEFAULT_FIELDS: readonly string[] = ORDER_FIELDS;
const CUSTOM_PREFIX = 'customorder_';

function isOrderField(name: string): name is OrderField {
  return (ORDER_FIELDS as readonly string[]).includes(name);
}

export function orderGet(body: unknown, store: Store, quirks: ReadQuirks): Record<string, unknown>[] {
  const query: GetQuery = parseGetQuery(body, {
    filters: ['id', 'externalid', 'name', 'statusid', 'workflowid'],
    isField: (name) =>
      isOrderField(name) ||
      name === 'customfields' ||
      (name.startsWith(CUSTOM_PREFIX) && store.customField(name.slice(CUSTOM_PREFIX.length)) !== undefined),
    sortable: ['id', 'name', 'externalid', 'statusid', 'workflowid', 'cdate', 'udate'],
  }, quirks);
  const matching = store.state.orders.filter((order) =>
    matchesFilter(query.filter, (key) => (isOrderField(key) ? [order[key]] : [])),
  );
  const page = sortAndLimit(matching, query, (order, field) => (isOrderField(field) ? order[field] : ''));
  const fields = query.fields ?? DEFAULT_FIELDS;
  return page.map((order) => orderView(order, fields, store));
}

function orderView(order: OrderRecord, fields: readonly string[], store: Store): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const field of fields) {
    if (isOrderField(field)) view[field] = order[field];
    else if (field === 'customfields') {
      const values: Record<string, string> = {};
      for (const def of store.state.customFields) values[def.key] = order.customfields[def.key] ?? '';
      view.customfields = values;
    } else if (field.startsWith(CUSTOM_PREFIX)) {
      view[field] = order.customfields[field.slice(CUSTOM_PREFIX.length)] ?? '';
    }
  }
  return view;
}

/** Keys that describe a client by name rather than by id (they make a new contact). */
const CLIENT_NAME_KEYS = ['clientname', 'clientnamelast', 'clientphone', 'clientemail', 'clientcompany'] as const;

interface ClientPlan {
  /** The existing contact to use, if any. */
  userid?: string;
  /** Name fields: a new contact is created from them. */
  newContact?: Omit<ContactRecord, 'id' | 'cdate'>;
}

function planClient(record: Record<string, unknown>, store: Store): ClientPlan {
  const plan: ClientPlan = {};
  const names: Record<string, unknown> = {};
  for (const key of CLIENT_NAME_KEYS) if (record[key] !== undefined) names[key.slice('client'.length)] = record[key];
  const client = record.client;
  if (client !== undefined && client !== null) {
    if (!isRecord(client)) throw new ApiError({ client: 'client must be an object' });
    for (const [key, value] of Object.entries(client)) if (key !== 'userid') names[key] = value;
    if (client.userid !== undefined && client.userid !== '' && client.userid !== null) {
      const userid = idOf(client.userid, 'client');
      if (!store.contact(userid)) throw new ApiError({ client: `Unknown contact ${userid}` });
      plan.userid = userid;
    }
  }
  if (Object.keys(names).length > 0) {
    const text = (key: string): string => {
      const value = names[key];
      return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
    };
    const list = (...keys: string[]): string[] =>
      keys.flatMap((key) => {
        const value = names[key];
        const items = Array.isArray(value) ? value : [value];
        return items.filter((v): v is string => typeof v === 'string' && v !== '');
      });
    plan.newContact = {
      name: text('name'),
      namelast: text('namelast'),
      typesex: 'person',
      phones: list('phone', 'phones'),
      emails: list('email', 'emails'),
      employee: '0',
      company: text('company'),
    };
  }
  return plan;
}

function customValue(def: CustomFieldDef, value: unknown): string {
  if (value === null || value === '') return '';
  const bad = (): never => {
    throw new ApiError({ customfields: `Invalid value for field ${def.key}` });
  };
  if (typeof value !== 'string' && typeof value !== 'number') return bad();
  const text = String(value).trim();
  switch (def.type) {
    case 'number':
      return text !== '' && Number.isFinite(Number(text)) ? text : bad();
    case 'date': {
      const m = /^(\d{4})-(\d{2})-(\d{2})( \d{2}:\d{2}(:\d{2})?)?$/.exec(text);
      if (!m) return bad();
      const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
      return date.getDate() === Number(m[3]) && date.getMonth() === Number(m[2]) - 1 ? text : bad();
    }
    case 'dropdown':
      // A dropdown accepts the option's label text.
      if (!def.options.includes(text)) throw new ApiError({ customfields: `Unknown option ${text} for field ${def.key}` });
      return text;
    case 'string':
      return String(value);
  }
}

function planCustomFields(record: Record<string, unknown>, store: Store): Map<string, string> {
  const values = new Map<string, string>();
  const set = (key: string, value: unknown): void => {
    const def = store.customField(key);
    if (!def) throw new ApiError({ customfields: `Unknown field ${key}` });
    values.set(key, customValue(def, value));
  };
  if (record.customfields !== undefined && record.customfields !== null) {
    // PHP encodes an empty map as [], so an empty list means "no fields".
    if (Array.isArray(record.customfields) && record.customfields.length === 0) return values;
    if (!isRecord(record.customfields)) throw new ApiError({ customfields: 'customfields must be an object' });
    for (const [key, value] of Object.entries(record.customfields)) set(key, value);
  }
  for (const [key, value] of Object.entries(record)) {
    if (key.startsWith(CUSTOM_PREFIX)) set(key.slice(CUSTOM_PREFIX.length), value);
  }
  return values;
}

/**
 * Records are applied one by one; a failing record stops the call and the records before it
 * stay written (as a box without transactions does). Each record is fully validated before
 * any of its effects.
 */
export function orderSet(records: unknown[], authorId: string, store: Store, now: Date, quirks: Pick<Quirks, 'dropsManager'>): string[] {
  return records.map((raw) => applyOrder(raw, authorId, store, now, quirks));
}

function applyOrder(raw: unknown, authorId: string, store: Store, now: Date, quirks: Pick<Quirks, 'dropsManager'>): string {
  if (!isRecord(raw)) throw new ApiError(['Each record must be an object']);
  let target: OrderRecord | undefined;
  if (raw.orderid !== undefined && raw.orderid !== null && raw.orderid !== '') {
    const id = idOf(raw.orderid, 'orderid');
    target = store.order(id);
    if (!target) throw new ApiError({ orderid: `Unknown orderid ${id}` });
  }
  const name = textOf(raw, 'name');
  const description = textOf(raw, 'description');
  const externalid = textOf(raw, 'externalid')?.trim();
  if (!target && externalid) target = store.state.orders.find((o) => o.externalid === externalid);

  const workflowid = raw.workflowid === undefined ? undefined : idOf(raw.workflowid, 'workflowid');
  const statusid = raw.statusid === undefined ? undefined : idOf(raw.statusid, 'statusid');
  if (workflowid !== undefined && !store.workflow(workflowid)) throw new ApiError({ workflowid: 'Unknown workflow' });
  if (!target && workflowid === undefined) throw new ApiError({ workflowid: 'workflowid is required' });
  if (!target && statusid === undefined) throw new ApiError({ statusid: 'statusid is required' });
  const finalWorkflow = workflowid ?? target?.workflowid ?? '';
  if (target && workflowid !== undefined && workflowid !== target.workflowid && statusid === undefined) {
    throw new ApiError({ statusid: 'statusid is required when workflowid changes' });
  }
  if (statusid !== undefined) {
    const status = store.status(statusid);
    if (!status) throw new ApiError({ statusid: 'Unknown status' });
    if (status.workflowid !== finalWorkflow) {
      throw new ApiError({ statusid: `Status ${statusid} does not belong to workflow ${finalWorkflow}` });
    }
  }

  let managerid: string | undefined;
  if (raw.managerid !== undefined) {
    managerid = raw.managerid === '' || raw.managerid === null ? '' : idOf(raw.managerid, 'managerid');
    if (managerid !== '' && !store.employee(managerid)) throw new ApiError({ managerid: `Unknown employee ${managerid}` });
  }
  // A top-level `clientid` is ignored by boxes; only `client.userid` sets the client.
  const client = planClient(raw, store);
  const custom = planCustomFields(raw, store);

  // Validated: now the effects.
  const stamp = formatDate(now);
  let clientid = client.userid;
  if (client.newContact) {
    // Quirk: name fields always create a new (duplicate) contact. It becomes the client
    // unless a valid `client.userid` was given too; then it is just a stray duplicate.
    const created: ContactRecord = { id: store.nextId('contact'), cdate: stamp, ...client.newContact };
    store.state.contacts.push(created);
    clientid ??= created.id;
  }
  const order: OrderRecord = target ?? {
    id: store.nextId('order'),
    name: '',
    description: '',
    externalid: '',
    workflowid: finalWorkflow,
    statusid: statusid ?? '',
    managerid: '',
    clientid: authorId, // without a client the process author is the client
    authorid: authorId,
    cdate: stamp,
    udate: stamp,
    customfields: Object.fromEntries(store.state.customFields.map((def) => [def.key, ''])),
  };
  if (name !== undefined) order.name = name;
  if (description !== undefined) order.description = description;
  if (externalid !== undefined) order.externalid = externalid;
  order.workflowid = finalWorkflow;
  if (statusid !== undefined) order.statusid = statusid;
  if (managerid !== undefined && !quirks.dropsManager) order.managerid = managerid;
  if (clientid !== undefined) order.clientid = clientid;
  for (const [key, value] of custom) order.customfields[key] = value;
  order.udate = stamp;
  if (!target) store.state.orders.push(order);
  return order.id;
}
