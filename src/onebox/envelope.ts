// The box's envelope and how an HTTP answer is classified. Pure functions: the unit tests
// feed them answers, the transport feeds them what fetch returned.
import * as v from 'valibot';
import { OneBoxError, redact } from './errors.ts';

/** What came back over HTTP, before any interpretation. */
export interface RawAnswer {
  httpStatus: number;
  contentType: string | null;
  retryAfter: string | null;
  text: string;
}

export type Outcome =
  | { kind: 'data'; data: unknown }
  /** The box refused the token (expired, unknown): get a new one once and retry. */
  | { kind: 'token-rejected'; boxMessage?: string }
  /** The box wants writes as an object keyed "0", "1", … instead of a bare array. */
  | { kind: 'keyed-needed'; boxMessage?: string };

export interface InterpretContext {
  endpoint: string;
  /** Password and tokens: removed from any box text before it goes into an error. */
  secrets: readonly string[];
  /** token/get itself: any refusal there means the login or password is wrong. */
  tokenCall?: boolean;
}

const EnvelopeSchema = v.object({
  status: v.union([v.number(), v.string(), v.boolean()]),
  dataArray: v.optional(v.unknown()),
  errorArray: v.optional(v.unknown()),
});

const TOKEN_REJECTED = /token/i;
// The vendor: each API request takes a licensed session, refused while people hold them all.
// No such refusal is on record; these are the words it would likely use, in uk, ru and en.
const SESSIONS_FULL = /licen[cs]|ліценз|лиценз|session|сесі|сесси|сеанс/i;
// Seen in Ukrainian on boxes that want the keyed form; the Russian and English wording are
// our guess at the same message in the box's other languages.
const KEYED_NEEDED = /(перш\S*\s+елемент\S*\s+масив|перв\S*\s+элемент\S*\s+массив|first\s+element\s+of\s+(the\s+)?array)/i;
const MAX_BOX_TEXT = 500;

/** `errorArray` may be a list of strings, an object of keyed strings, or nested; flattened to texts. */
export function normaliseErrorArray(value: unknown, depth = 0): string[] {
  if (value === null || value === undefined || depth > 3) return [];
  if (typeof value === 'string') return value.trim() === '' ? [] : [value.trim()];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  if (Array.isArray(value)) return value.flatMap((item) => normaliseErrorArray(item, depth + 1));
  if (typeof value === 'object') return Object.values(value).flatMap((item) => normaliseErrorArray(item, depth + 1));
  return [];
}

export function isSuccessStatus(status: number | string | boolean): boolean {
  return status === 1 || status === '1' || status === true;
}

/** Retry-After as seconds or an HTTP date, to milliseconds from now. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function boxText(texts: readonly string[], secrets: readonly string[]): string | undefined {
  if (texts.length === 0) return undefined;
  const joined = redact(texts.join('; '), secrets);
  return joined.length > MAX_BOX_TEXT ? `${joined.slice(0, MAX_BOX_TEXT)}…` : joined;
}

function htmlTitle(text: string): string[] {
  const match = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(text);
  const title = match?.[1]?.replace(/\s+/g, ' ').trim();
  return title ? [title] : [];
}

function looksLikeHtml(text: string, contentType: string | null): boolean {
  return /html/i.test(contentType ?? '') || /^\s*</.test(text);
}

/** Texts of an envelope's errorArray, if the body is one; used for 5xx bodies too. */
function envelopeErrors(text: string): string[] {
  try {
    const parsed = v.safeParse(EnvelopeSchema, JSON.parse(text));
    return parsed.success ? normaliseErrorArray(parsed.output.errorArray) : [];
  } catch {
    return [];
  }
}

/**
 * One HTTP answer to data, to one of the two recoverable outcomes, or to an OneBoxError.
 * Order matters: transport-level trouble (429, 5xx, redirects) first, then the body's shape,
 * then the envelope. HTTP 401/403 with any body counts as a token refusal, like the box's
 * own `token in header not found` (which comes with HTTP 400).
 */
export function interpretAnswer(raw: RawAnswer, context: InterpretContext): Outcome {
  const { endpoint, secrets } = context;
  const httpStatus = raw.httpStatus;
  const fail = (kind: OneBoxError['kind'], messageKey: OneBoxError['messageKey'], texts: string[] = [], retryAfterMs?: number) => {
    return new OneBoxError({
      kind, messageKey, endpoint, httpStatus,
      detail: boxText(texts, secrets),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  };
  // Not a wrong password: it passes once a session is free, so it is retried by itself.
  const failIfSessionsFull = (texts: string[]) => {
    if (texts.some((text) => SESSIONS_FULL.test(text))) throw fail('transient', 'error_sessions_full', texts);
  };
  const authAnswer = (texts: string[]): Outcome => {
    failIfSessionsFull(texts);
    if (context.tokenCall) throw fail('auth', 'error_auth', texts);
    const boxMessage = boxText(texts, secrets);
    return boxMessage === undefined ? { kind: 'token-rejected' } : { kind: 'token-rejected', boxMessage };
  };
  const bodyTexts = () => (looksLikeHtml(raw.text, raw.contentType) ? htmlTitle(raw.text) : envelopeErrors(raw.text));

  if (httpStatus === 429) throw fail('transient', 'error_rate_limited', bodyTexts(), parseRetryAfter(raw.retryAfter));
  if (httpStatus >= 500) throw fail('transient', 'error_box_down', bodyTexts(), parseRetryAfter(raw.retryAfter));
  if (httpStatus === 408) throw fail('transient', 'error_timeout', bodyTexts());
  // We never follow redirects (the token must not travel elsewhere); a browser shows them as 0.
  if (httpStatus === 0 || (httpStatus >= 300 && httpStatus < 400)) throw fail('protocol', 'error_protocol', ['redirected']);
  const authStatus = httpStatus === 401 || httpStatus === 403;

  if (raw.text.trim() === '') {
    if (authStatus) return authAnswer([]);
    throw fail('protocol', 'error_empty_answer');
  }
  if (looksLikeHtml(raw.text, raw.contentType)) {
    if (authStatus) return authAnswer(htmlTitle(raw.text));
    throw fail('protocol', 'error_html_page', htmlTitle(raw.text));
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.text);
  } catch {
    if (authStatus) return authAnswer([]);
    throw fail('protocol', 'error_protocol', ['not JSON']);
  }
  const envelope = v.safeParse(EnvelopeSchema, json);
  if (!envelope.success) {
    if (authStatus) return authAnswer([]);
    throw fail('protocol', 'error_protocol', ['no status in the answer']);
  }
  const { status, errorArray } = envelope.output;
  if (isSuccessStatus(status) && !authStatus) {
    // `dataArray` is required on success: checked on the parsed JSON, where null and absent differ.
    const data = (json as Record<string, unknown>)['dataArray'];
    if (data === undefined) throw fail('protocol', 'error_protocol', ['no dataArray in the answer']);
    return { kind: 'data', data };
  }
  const texts = normaliseErrorArray(errorArray);
  failIfSessionsFull(texts);
  if (context.tokenCall) throw fail('auth', 'error_auth', texts);
  if (authStatus || texts.some((text) => TOKEN_REJECTED.test(text))) return authAnswer(texts);
  if (texts.some((text) => KEYED_NEEDED.test(text))) {
    const boxMessage = boxText(texts, secrets);
    return boxMessage === undefined ? { kind: 'keyed-needed' } : { kind: 'keyed-needed', boxMessage };
  }
  // Any other refusal is about what we asked for: an unknown process, stage, email or field,
  // or data the box would not take. Only the settings or the data can fix it.
  throw fail('config', configMessageKey(errorArray), texts);
}

/**
 * Decision: when `errorArray` is an object keyed by field name, the key names what the box
 * refused, and we say so precisely; texts are in the box's language, so we never parse them.
 */
const FIELD_MESSAGE_KEYS: Readonly<Record<string, OneBoxError['messageKey']>> = {
  workflowid: 'error_unknown_workflow',
  statusid: 'error_unknown_status',
  managerid: 'error_unknown_employee',
  customfields: 'error_unknown_field',
  fields: 'error_unknown_field',
};

export function configMessageKey(errorArray: unknown): OneBoxError['messageKey'] {
  if (typeof errorArray !== 'object' || errorArray === null || Array.isArray(errorArray)) return 'error_config';
  for (const key of Object.keys(errorArray)) {
    const field = key.startsWith('customorder_') ? 'customfields' : key;
    const messageKey = FIELD_MESSAGE_KEYS[field];
    if (messageKey) return messageKey;
  }
  return 'error_config';
}
