// Request validation shared by the API handlers: the read query (`filter`, `fields`, `limit`,
// `orderby`/`orderfields`), the write record list, and scalar fields. A box answers a bad
// request with status 0 and an errorArray; `ApiError` carries that errorArray.
import { isRecord } from './http.ts';
import type { Quirks } from './types.ts';

/** The quirks that change how a box reads a query. */
export type ReadQuirks = Pick<Quirks, 'ignoreFilters' | 'ignoreOrderby' | 'firstFilterValueOnly' | 'dialect'>;

/** Body keys of a read that are not filter keys in the top-level dialect. */
const QUERY_KEYS = ['fields', 'limit', 'orderby', 'orderfields'];

export type ErrorArray = string[] | Record<string, string>;

export class ApiError extends Error {
  readonly errors: ErrorArray;
  constructor(errors: ErrorArray) {
    super(Array.isArray(errors) ? errors.join('; ') : Object.values(errors).join('; '));
    this.errors = errors;
  }
}

/** The message a box gives when a write's body has no record "0". */
export const NO_FIRST_RECORD = 'Відсутня перший елемент масиву процесів';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 500;

export interface SortKey {
  field: string;
  desc: boolean;
}

export interface GetQuery {
  /** filter key -> accepted values, as text */
  filter: Map<string, string[]>;
  /** requested fields, or null for the default set */
  fields: string[] | null;
  limit: number;
  sort: SortKey[];
}

export interface QuerySpec {
  filters: readonly string[];
  isField: (name: string) => boolean;
  sortable: readonly string[];
}

/** A scalar as the text a box compares; numbers are written without a fraction when whole. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A read's query as the box understands it: a key it ignores (see ReadQuirks) is not even checked. */
export function parseGetQuery(body: unknown, spec: QuerySpec, quirks: ReadQuirks): GetQuery {
  if (!isRecord(body)) throw new ApiError(['Request body must be a JSON object']);
  const filter = new Map<string, string[]>();
  const rawFilter = quirks.dialect === 'top-level' ? topLevelFilter(body) : body.filter;
  if (rawFilter !== undefined && !quirks.ignoreFilters) {
    // An empty PHP array encodes as [], so an empty list is accepted as "no filter".
    const raw = Array.isArray(rawFilter) && rawFilter.length === 0 ? {} : rawFilter;
    if (!isRecord(raw)) throw new ApiError({ filter: 'filter must be an object' });
    for (const [key, value] of Object.entries(raw)) {
      // Sandbox decision: an unknown filter key is an error, not silently ignored, so a
      // client relying on a filter the box lacks (e.g. comment `idfrom`) finds out at once.
      if (!spec.filters.includes(key)) throw new ApiError({ filter: `Unknown filter ${key}` });
      const list = Array.isArray(value) ? value : [value];
      const texts = list.map(scalarText);
      if (texts.some((t) => t === undefined)) throw new ApiError({ filter: `Invalid value of filter ${key}` });
      const values = texts.filter((t): t is string => t !== undefined);
      filter.set(key, quirks.firstFilterValueOnly ? values.slice(0, 1) : values);
    }
  }

  let fields: string[] | null = null;
  if (body.fields !== undefined) {
    if (!Array.isArray(body.fields) || body.fields.some((f) => typeof f !== 'string')) {
      throw new ApiError({ fields: 'fields must be a list of field names' });
    }
    const names = body.fields as string[];
    for (const name of names) if (!spec.isField(name)) throw new ApiError({ fields: `Unknown field ${name}` });
    fields = names.length === 0 ? null : [...new Set(names)];
  }

  let limit = quirks.ignoreFilters ? Infinity : DEFAULT_LIMIT;
  if (body.limit !== undefined && !quirks.ignoreFilters) {
    const n = typeof body.limit === 'string' && /^\d+$/.test(body.limit.trim()) ? Number(body.limit) : body.limit;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new ApiError({ limit: 'limit must be a positive integer' });
    limit = Math.min(n, MAX_LIMIT); // the box silently caps a large limit
  }

  const sort = quirks.ignoreOrderby ? [] : parseSort(body.orderby, body.orderfields, spec.sortable, quirks.dialect);
  return { filter, fields, limit, sort };
}

/** The top-level dialect's filter: every key of the body that is not a query key; a `filter` wrapper is not read. */
function topLevelFilter(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'filter' && !QUERY_KEYS.includes(key)));
}

/**
 * Sorting is documented only by name. Accepted: `orderby: "id"`, `"id desc"`,
 * `{"id": "desc"}`, or `orderfields: "id" | ["id", ...]` with `orderby: "asc" | "desc"`; the
 * top-level dialect knows only the last form and ignores any other `orderby`.
 * Default: id ascending.
 */
function parseSort(orderby: unknown, orderfields: unknown, sortable: readonly string[], dialect: Quirks['dialect']): SortKey[] {
  const keys: SortKey[] = [];
  const add = (field: string, dir: string): void => {
    const direction = dir.toLowerCase();
    if (!sortable.includes(field)) throw new ApiError({ orderby: `Unknown sort field ${field}` });
    if (direction !== 'asc' && direction !== 'desc') throw new ApiError({ orderby: `Unknown sort direction ${dir}` });
    keys.push({ field, desc: direction === 'desc' });
  };
  let direction = 'asc';
  const isDirection = typeof orderby === 'string' && /^(asc|desc)$/i.test(orderby.trim());
  // The top-level dialect sorts only by a direction over `orderfields` and ignores any other sort.
  if (dialect === 'top-level' && !(isDirection && orderfields !== undefined)) return keys;
  if (typeof orderby === 'string' && isDirection && orderfields !== undefined) {
    direction = orderby.trim();
  } else if (typeof orderby === 'string' && orderby.trim() !== '') {
    const [field = '', dir = 'asc', ...rest] = orderby.trim().split(/\s+/);
    if (rest.length > 0) throw new ApiError({ orderby: `Invalid orderby ${orderby}` });
    add(field, dir);
  } else if (isRecord(orderby)) {
    for (const [field, dir] of Object.entries(orderby)) add(field, typeof dir === 'string' ? dir : '');
  } else if (orderby !== undefined && orderby !== '') {
    throw new ApiError({ orderby: 'Invalid orderby' });
  }
  if (orderfields !== undefined) {
    const list = Array.isArray(orderfields) ? orderfields : [orderfields];
    for (const field of list) {
      if (typeof field !== 'string') throw new ApiError({ orderfields: 'Invalid orderfields' });
      add(field, direction);
    }
  }
  return keys;
}

function compareText(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts (always ending with id ascending, for a stable answer) and applies the limit. */
export function sortAndLimit<T extends { id: string }>(
  records: T[],
  query: GetQuery,
  valueOf: (record: T, field: string) => string,
): T[] {
  const keys = [...query.sort, { field: 'id', desc: false }];
  const sorted = [...records].sort((a, b) => {
    for (const key of keys) {
      const diff = compareText(valueOf(a, key.field), valueOf(b, key.field));
      if (diff !== 0) return key.desc ? -diff : diff;
    }
    return 0;
  });
  return sorted.slice(0, query.limit);
}

/** True when the record passes every filter; `valuesOf` gives the record's values for a key. */
export function matchesFilter(
  filter: Map<string, string[]>,
  valuesOf: (key: string) => string[],
  equal: (key: string, a: string, b: string) => boolean = (_key, a, b) => a === b,
): boolean {
  for (const [key, wanted] of filter) {
    const have = valuesOf(key);
    if (!wanted.some((w) => have.some((h) => equal(key, h, w)))) return false;
  }
  return true;
}

/** Writes take a bare array of records or an object keyed "0", "1", ... */
export function takeRecords(body: unknown, keyedOnly: boolean): unknown[] {
  if (Array.isArray(body)) {
    if (keyedOnly || body.length === 0) throw new ApiError([NO_FIRST_RECORD]);
    return body;
  }
  if (!isRecord(body) || !('0' in body)) throw new ApiError([NO_FIRST_RECORD]);
  const keys = Object.keys(body);
  for (const key of keys) if (!/^(0|[1-9]\d*)$/.test(key)) throw new ApiError([`Invalid record key ${key}`]);
  return keys.sort((a, b) => Number(a) - Number(b)).map((key) => body[key]);
}

/** An id given as a number or numeric text, as text; anything else is an error. */
export function idOf(value: unknown, field: string): string {
  const text = scalarText(value);
  if (text === undefined || !/^\d+$/.test(text)) throw new ApiError({ [field]: `Invalid ${field}` });
  return String(Number(text));
}

/** Optional text field: absent -> undefined; number -> text; other types are errors. */
export function textOf(record: Record<string, unknown>, field: string): string | undefined {
  const value = record[field];
  if (value === undefined) return undefined;
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new ApiError({ [field]: `Invalid ${field}` });
}

/** A 0/1 flag given as 0, 1, "0", "1", true or false. */
export function flagOf(value: unknown, field: string): '0' | '1' {
  if (value === 1 || value === '1' || value === true) return '1';
  if (value === 0 || value === '0' || value === false) return '0';
  throw new ApiError({ [field]: `Invalid ${field}` });
}

/** Phone numbers compare by their digits. */
export function phoneDigits(phone: string): string {
  return phone.replace(/\D+/g, '');
}
