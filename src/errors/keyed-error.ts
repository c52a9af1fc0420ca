// The one error type of the extension, from the OneBox client to the page. The kind says what
// to do about it, the message key says it to the manager in their language, the detail keeps the
// box's own words. The same fields are stored on a job or link and carried by a failed reply, so
// every context reads an error the same way. Only a type is imported: the content script bundles
// this module and must not carry the dictionaries.
import type { MessageKey } from '../i18n/index.ts';

/**
 * - `auth`: refused who asks (a login or password the box rejects, a sender that may not ask);
 * - `config`: the settings or the request name something that is not there;
 * - `transient`: a box or the worker that is down, slow or busy; tried again by itself;
 * - `protocol`: an answer or a request that does not follow its contract;
 * - `internal`: anything else, our own fault.
 */
export type ErrorKind = 'auth' | 'config' | 'transient' | 'protocol' | 'internal';

/** A keyed error as data: what a job or link stores and what a failed reply carries. */
export interface KeyedErrorData {
  kind: ErrorKind;
  messageKey: MessageKey;
  /** The box's own words, or a technical detail; never a password or token. */
  detail?: string;
  /** The box asked us to wait this long (429 Retry-After). */
  retryAfterMs?: number;
}

export class KeyedError extends Error {
  override readonly name: string = 'KeyedError';
  readonly kind: ErrorKind;
  readonly messageKey: MessageKey;
  // `declare`: absent rather than undefined when not given, so stored and sent data shows only what is known.
  declare readonly detail?: string;
  declare readonly retryAfterMs?: number;

  /** `logMessage` is for logs only; what the user reads comes from the key. */
  constructor(data: KeyedErrorData, logMessage = data.detail ? `${data.messageKey}: ${data.detail}` : data.messageKey) {
    super(logMessage);
    this.kind = data.kind;
    this.messageKey = data.messageKey;
    if (data.detail) this.detail = data.detail;
    if (data.retryAfterMs !== undefined) this.retryAfterMs = data.retryAfterMs;
  }

  /** The fields that are stored and sent; the log message and the stack stay where they were made. */
  toData(): KeyedErrorData {
    return {
      kind: this.kind,
      messageKey: this.messageKey,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
    };
  }
}

/** Whatever was thrown, as keyed data: only a KeyedError has a key; anything else is our own fault. */
export function keyedErrorData(error: unknown): KeyedErrorData {
  if (error instanceof KeyedError) return error.toData();
  return { kind: 'internal', messageKey: 'error_internal', detail: error instanceof Error ? error.message : String(error) };
}
