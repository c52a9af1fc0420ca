import { extensionContextAlive, sendMessage } from '../platform/browser-api';
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

/** The worker was updated or reloaded: this copy of the page's script can no longer reach it. */
export const EXTENSION_UPDATED = 'page_extension_updated';
/** The worker did not answer (it is starting, or it failed). */
export const NO_BACKGROUND = 'page_no_background';

/**
 * Sends a typed request to the background and unwraps its reply. A request that does not get
 * through fails with one of the keys above as its text, for the caller to translate.
 */
export async function request<T extends MessageType>(type: T, payload: RequestOf<T>): Promise<ResponseOf<T>> {
  let reply: Reply<ResponseOf<T>> | undefined;
  try {
    reply = (await sendMessage({ type, payload })) as Reply<ResponseOf<T>> | undefined;
  } catch (error) {
    const key = extensionContextAlive() ? NO_BACKGROUND : EXTENSION_UPDATED;
    throw new MessageError(key, key, error instanceof Error ? error.message : String(error));
  }
  if (!reply) throw new MessageError(NO_BACKGROUND, NO_BACKGROUND);
  if (!reply.ok) throw new MessageError(reply.error.messageKey, reply.error.text, reply.error.detail);
  return reply.value;
}
