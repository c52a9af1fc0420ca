// The small set of errors the rest of the extension acts on. The kind says what to do
// (ask for a new password, fix the settings, retry later, report a broken box); the message
// key says it to the manager in their language; `boxMessage` keeps the box's own words.
import type { MessageKey } from '../i18n/index.ts';

export type OneBoxErrorKind = 'auth' | 'config' | 'transient' | 'protocol';

export interface OneBoxErrorInit {
  kind: OneBoxErrorKind;
  messageKey: MessageKey;
  endpoint: string;
  boxMessage?: string;
  retryAfterMs?: number;
  httpStatus?: number;
}

export class OneBoxError extends Error {
  override readonly name = 'OneBoxError';
  readonly kind: OneBoxErrorKind;
  readonly messageKey: MessageKey;
  readonly endpoint: string;
  // `declare`: absent rather than undefined when not given, so a dump shows only what is known.
  declare readonly boxMessage?: string;
  declare readonly retryAfterMs?: number;
  declare readonly httpStatus?: number;

  constructor(init: OneBoxErrorInit) {
    // The message is for logs: kind, endpoint, HTTP status and the box's text, which the
    // transport has already stripped of the password and token.
    const parts = [`${init.kind} error on ${init.endpoint} [${init.messageKey}]`];
    if (init.httpStatus !== undefined) parts.push(`HTTP ${init.httpStatus}`);
    if (init.boxMessage) parts.push(init.boxMessage);
    super(parts.join(': '));
    this.kind = init.kind;
    this.messageKey = init.messageKey;
    this.endpoint = init.endpoint;
    if (init.boxMessage !== undefined) this.boxMessage = init.boxMessage;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
  }
}

/** One plain message per kind, for a summary line where the precise key would be too much. */
export const KIND_MESSAGE_KEYS: Readonly<Record<OneBoxErrorKind, MessageKey>> = {
  auth: 'error_auth',
  config: 'error_config',
  transient: 'error_transient',
  protocol: 'error_protocol',
};

export function isOneBoxError(value: unknown): value is OneBoxError {
  return value instanceof OneBoxError;
}

/** Replaces every occurrence of a secret in a text the box or the network gave us. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    // Very short secrets would blank out ordinary words; a real password or token is longer.
    if (secret.length >= 3) out = out.split(secret).join('***');
  }
  return out;
}
