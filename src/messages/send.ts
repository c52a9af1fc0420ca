import { KeyedError } from '../errors/keyed-error';
import type { MessageKey } from '../i18n';
import { extensionContextAlive, sendMessage } from '../platform/runtime';
import type { MessageType, Reply, RequestOf, ResponseOf } from './protocol';

/** The worker was updated or reloaded: this copy of the page's script can no longer reach it. */
export const EXTENSION_UPDATED = 'page_extension_updated' satisfies MessageKey;
/** The worker did not answer (it is starting, or it failed). */
export const NO_BACKGROUND = 'page_no_background' satisfies MessageKey;

/**
 * Sends a typed request to the background and unwraps its reply. A failure is a KeyedError: the
 * worker's, or one of the keys above when the request did not get through.
 */
export async function request<T extends MessageType>(type: T, payload: RequestOf<T>): Promise<ResponseOf<T>> {
  let reply: Reply<ResponseOf<T>> | undefined;
  try {
    reply = (await sendMessage({ type, payload })) as Reply<ResponseOf<T>> | undefined;
  } catch (error) {
    const messageKey = extensionContextAlive() ? NO_BACKGROUND : EXTENSION_UPDATED;
    throw new KeyedError({ kind: 'transient', messageKey, detail: error instanceof Error ? error.message : String(error) });
  }
  if (!reply) throw new KeyedError({ kind: 'transient', messageKey: NO_BACKGROUND });
  if (!reply.ok) throw new KeyedError(reply.error);
  return reply.value;
}
