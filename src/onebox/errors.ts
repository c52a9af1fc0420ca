// Errors of the OneBox client: the extension's keyed error (see src/errors/keyed-error.ts) with
// the endpoint and HTTP status that logs and contract tests need. A box never causes `internal`.
import { KeyedError, type ErrorKind, type KeyedErrorData } from '../errors/keyed-error.ts';

export type OneBoxErrorKind = Exclude<ErrorKind, 'internal'>;

export interface OneBoxErrorInit extends KeyedErrorData {
  kind: OneBoxErrorKind;
  endpoint: string;
  httpStatus?: number;
}

export class OneBoxError extends KeyedError {
  override readonly name: string = 'OneBoxError';
  declare readonly kind: OneBoxErrorKind;
  readonly endpoint: string;
  declare readonly httpStatus?: number;

  constructor(init: OneBoxErrorInit) {
    // The log message: kind, endpoint, HTTP status and the box's text, which the transport has
    // already stripped of the password and token.
    const parts = [`${init.kind} error on ${init.endpoint} [${init.messageKey}]`];
    if (init.httpStatus !== undefined) parts.push(`HTTP ${init.httpStatus}`);
    if (init.detail) parts.push(init.detail);
    super(init, parts.join(': '));
    this.endpoint = init.endpoint;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
  }
}

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
