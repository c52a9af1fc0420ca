// Routes typed messages to handlers after checking who sent them and what they carry.
// A content script runs in a page we do not control, so its messages are untrusted input.
import * as v from 'valibot';
import { extensionId, extensionOrigin, type MessageSender } from '../platform/browser-api';
import type { MessageType, Protocol, Reply, RequestOf, ResponseOf } from '../messages/protocol';

type Schemas = { [K in MessageType]: v.GenericSchema<unknown, RequestOf<K>> };
type Origins = { [K in MessageType]: Protocol[K]['from'] };
export type Handlers = { [K in MessageType]: (payload: RequestOf<K>, sender: MessageSender) => Promise<ResponseOf<K>> };

const httpUrl = v.pipe(v.string(), v.maxLength(2048), v.url(), v.check((url) => /^https?:/.test(url)));

const schemas: Schemas = {
  'page/hello': v.object({ url: httpUrl }),
};

const allowedFrom: Origins = {
  'page/hello': 'content',
};

function senderKind(sender: MessageSender): 'content' | 'extension' | null {
  if (sender.id !== extensionId()) return null;
  if (sender.tab && sender.url && /^https?:/.test(sender.url)) return 'content';
  if (sender.url?.startsWith(`${extensionOrigin()}/`)) return 'extension';
  return null;
}

const envelopeSchema = v.object({ type: v.string(), payload: v.unknown() });

export function createRouter(handlers: Handlers) {
  return async (message: unknown, sender: MessageSender): Promise<Reply<unknown>> => {
    const envelope = v.safeParse(envelopeSchema, message);
    if (!envelope.success || !Object.hasOwn(schemas, envelope.output.type)) {
      return { ok: false, error: { messageKey: 'error_bad_message' } };
    }
    const type = envelope.output.type as MessageType;
    const kind = senderKind(sender);
    // Extension pages may send anything; a content script only what is marked as its own.
    if (kind === null || (kind === 'content' && allowedFrom[type] !== 'content')) {
      return { ok: false, error: { messageKey: 'error_bad_sender' } };
    }
    const payload = v.safeParse(schemas[type], envelope.output.payload);
    if (!payload.success) {
      return { ok: false, error: { messageKey: 'error_bad_message', detail: v.summarize(payload.issues) } };
    }
    try {
      const handler = handlers[type] as (p: unknown, s: MessageSender) => Promise<unknown>;
      return { ok: true, value: await handler(payload.output, sender) };
    } catch (error) {
      return { ok: false, error: toReplyError(error) };
    }
  };
}

function toReplyError(error: unknown): { messageKey: string; detail?: string } {
  if (error instanceof Error && 'messageKey' in error && typeof error.messageKey === 'string') {
    return { messageKey: error.messageKey, detail: error.message };
  }
  return { messageKey: 'error_internal', detail: error instanceof Error ? error.message : String(error) };
}
