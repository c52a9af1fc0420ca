// Shapes of the box's answers, validated with valibot. Unknown fields are dropped; a missing
// required field or a wrong type becomes a `protocol` error naming the field (never its value).
import * as v from 'valibot';
import { OneBoxError } from './errors.ts';

/**
 * An id is a plain decimal number of at most 15 digits (a box's auto-increment key), as a string
 * or a number; ours are always strings. Anything else is refused: an id becomes a cursor, and a
 * cursor that is not a number would put every later comment "before" it.
 */
const ID_PATTERN = /^(0|[1-9]\d{0,14})$/;
const idNumber = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(999_999_999_999_999), v.transform(String));
const idText = v.pipe(v.string(), v.trim(), v.regex(ID_PATTERN));
export const IdSchema = v.union([idText, idNumber]);

/** An optional id: absent, null, '' and 0 all mean "none". */
// Absent keys get the default (null) so that the transform runs and the output key is always there.
export const OptionalIdSchema = v.optional(
  v.pipe(
    v.nullable(v.union([v.pipe(v.string(), v.trim(), v.regex(/^$/)), idText, idNumber])),
    v.transform((id): string | null => (id === null || id === '' || id === '0' ? null : id)),
  ),
  null,
);

export const OptionalTextSchema = v.optional(v.nullable(v.string()), null);

/** A flag the box writes as "1"/"0", 1/0 or true/false; null when absent. */
export const FlagSchema = v.optional(
  v.pipe(
    v.nullable(v.union([v.picklist(['0', '1', 'true', 'false', '']), v.picklist([0, 1]), v.boolean()])),
    v.transform((flag): boolean | null => {
      if (flag === null || flag === '') return null;
      return flag === true || flag === 1 || flag === '1' || flag === 'true';
    }),
  ),
  null,
);

/** Email or phone lists: an array of strings, or one string with several, comma separated. */
export const StringListSchema = v.optional(
  v.pipe(
    v.nullable(v.union([v.array(v.union([v.string(), v.number()])), v.string()])),
    v.transform((list): string[] => {
      const items = list === null ? [] : typeof list === 'string' ? list.split(/[,;]/) : list.map(String);
      return items.map((item) => item.trim()).filter((item) => item !== '');
    }),
  ),
  null,
);

/** A scalar field value as text; objects and lists are not scalars. */
export const ScalarTextSchema = v.pipe(
  v.nullish(v.union([v.string(), v.number(), v.boolean()])),
  v.transform((value): string => (value === null || value === undefined ? '' : typeof value === 'boolean' ? (value ? '1' : '0') : String(value))),
);

export const TokenAnswerSchema = v.object({ token: v.pipe(v.string(), v.nonEmpty()) });

export const WorkflowSchema = v.object({ id: IdSchema, name: v.string() });

export const StatusSchema = v.object({
  id: IdSchema,
  name: v.string(),
  workflowid: OptionalIdSchema,
  startstatus: FlagSchema,
});

export const ContactSchema = v.object({
  id: IdSchema,
  name: OptionalTextSchema,
  namelast: OptionalTextSchema,
  emails: StringListSchema,
  phones: StringListSchema,
  // The employee flag, spelt as the dialect answers it (see BoxDialect.employeeFlag).
  employee: FlagSchema,
  employer: FlagSchema,
  level: v.optional(v.nullable(v.union([v.string(), v.number()])), null),
});

/** `udate` of a process, for discovery: is it readable (a date) and sortable. */
export const OrderUdateSchema = v.object({ id: IdSchema, udate: OptionalTextSchema });

export const OrderSchema = v.object({
  id: IdSchema,
  name: OptionalTextSchema,
  description: OptionalTextSchema,
  externalid: OptionalTextSchema,
  workflowid: OptionalIdSchema,
  statusid: OptionalIdSchema,
  managerid: OptionalIdSchema,
  clientid: OptionalIdSchema,
  cdate: OptionalTextSchema,
  customfields: v.nullish(v.record(v.string(), ScalarTextSchema)),
});

/** Longer than any comment a person writes (a 10 KB one is synced); more is not a comment. */
export const MAX_COMMENT_CHARS = 100_000;

export const CommentSchema = v.object({
  id: IdSchema,
  orderid: OptionalIdSchema,
  type: OptionalTextSchema,
  content: v.pipe(v.string(), v.maxLength(MAX_COMMENT_CHARS)),
  cdate: OptionalTextSchema,
  userid: OptionalIdSchema,
  username: OptionalTextSchema,
  clientvisible: FlagSchema,
});

function protocolError(endpoint: string, what: string): OneBoxError {
  return new OneBoxError({ kind: 'protocol', messageKey: 'error_protocol', endpoint, detail: what });
}

function describeIssues(issues: readonly v.BaseIssue<unknown>[], prefix: string): string {
  const first = issues[0];
  if (!first) return `${prefix}: invalid`;
  const path = v.getDotPath(first);
  // The expectation, not the received value: box data may be personal.
  return `${prefix}${path ? `.${path}` : ''}: expected ${first.expected ?? 'a different value'}`;
}

export function parseOne<S extends v.GenericSchema>(schema: S, data: unknown, endpoint: string, label = 'dataArray'): v.InferOutput<S> {
  const result = v.safeParse(schema, data);
  if (!result.success) throw protocolError(endpoint, describeIssues(result.issues, label));
  return result.output;
}

/**
 * A list answer. A PHP box encodes a list with gaps in its keys as a JSON object, so both
 * `[{...}]` and `{"101": {...}}` are lists here; anything else is a protocol error.
 */
export function parseList<S extends v.GenericSchema>(schema: S, data: unknown, endpoint: string): v.InferOutput<S>[] {
  const items = listItems(data, endpoint);
  return items.map((item, index) => parseOne(schema, item, endpoint, `dataArray[${index}]`));
}

export function listItems(data: unknown, endpoint: string): unknown[] {
  if (Array.isArray(data)) return data;
  if (typeof data === 'object' && data !== null) return Object.values(data);
  throw protocolError(endpoint, 'dataArray: expected a list');
}

/** A write answers with the list of ids it wrote; we write one record at a time. */
export function parseWrittenId(data: unknown, endpoint: string): string {
  const items = listItems(data, endpoint);
  if (items.length === 0) throw protocolError(endpoint, 'dataArray: expected the written id');
  return parseOne(IdSchema, items[0], endpoint, 'dataArray[0]');
}
