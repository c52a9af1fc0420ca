import { sendMessage } from '../platform/browser-api';
import type { MessageType, Reply, RequestOf, ResponseOf } from './protocol';

export class MessageError extends Error {
  constructor(
    readonly messageKey: string,
    /** In the user's language; the key itself when the background could not be reached. */
    readonly text: string,
    readonly detail?: string,
  ) {
    super(detail ? `${text} (${detail})` : text);
    this.name = 'MessageError';
  }
}

/** Sends a typed request to the background and unwraps its reply. */
export async function request<T extends MessageType>(type: T, payload: RequestOf<T>): Promise<ResponseOf<T>> {
  const reply = (await sendMessage({ type, payload })) as Reply<ResponseOf<T>> | undefined;
  if (!reply) throw new MessageError('error_no_background', 'error_no_background');
  if (!reply.ok) throw new MessageError(reply.error.messageKey, reply.error.text, reply.error.detail);
  return reply.value;
}
