// Routes typed messages to handlers after checking who sent them and what they carry.
// A content script runs in a page we do not control, so its messages are untrusted input.
import * as v from 'valibot';
import { keyedErrorData, type KeyedErrorData } from '../errors/keyed-error';
import { extensionId, extensionOrigin, type MessageSender } from '../platform/browser-api';
import type { MessageType, Protocol, Reply, RequestOf, ResponseOf } from '../messages/protocol';
import { ANCHORS } from '../page/selectors';

type Schemas = { [K in MessageType]: v.GenericSchema<unknown, RequestOf<K>> };
type Origins = { [K in MessageType]: Protocol[K]['from'] };
export type Handlers = { [K in MessageType]: (payload: RequestOf<K>, sender: MessageSender) => Promise<ResponseOf<K>> };

const boxId = v.pipe(v.string(), v.regex(/^[1-9]\d{0,14}$/));
const partnerRequest = v.strictObject({ partnerId: v.pipe(v.string(), v.minLength(1), v.maxLength(100)) });
// A comment may be long; 100 000 characters is far beyond what a box page accepts.
const commentPost = v.strictObject({ text: v.pipe(v.string(), v.minLength(1), v.maxLength(100_000)), share: v.boolean(), clientVisible: v.boolean() });
const commentRef = v.strictObject({ commentId: boxId });
// `<partner id>|<order id>`: a partner id is at most 100 characters, an order id 15 digits.
const linkRef = v.strictObject({ linkId: v.pipe(v.string(), v.regex(/^[^|]{1,100}\|[1-9]\d{0,14}$/)) });

const schemas: Schemas = {
  'page/hello': v.strictObject({}),
  'page/problems': v.strictObject({ missing: v.pipe(v.array(v.picklist(ANCHORS)), v.maxLength(ANCHORS.length)) }),
  'order/state': v.strictObject({}),
  'order/preview': partnerRequest,
  'order/send': partnerRequest,
  'order/retry': partnerRequest,
  'order/unlink': partnerRequest,
  'order/history': v.strictObject({}),
  'composer/choice': v.strictObject({ share: v.boolean(), viewerId: v.optional(boxId) }),
  'comment/choice': v.strictObject({ commentId: boxId, authorId: v.optional(boxId), share: v.boolean() }),
  'comment/retry': commentRef,
  'comment/post': commentPost,
  'settings/test-connection': v.object({
    box: v.object({
      url: v.pipe(v.string(), v.maxLength(2048)),
      login: v.pipe(v.string(), v.maxLength(200)),
      restApiPassword: v.pipe(v.string(), v.maxLength(500)),
    }),
    plan: v.object({
      workflowId: v.optional(boxId),
      statusId: v.optional(boxId),
      assigneeEmail: v.optional(v.pipe(v.string(), v.maxLength(254))),
      testWrite: v.optional(v.boolean()),
    }),
  }),
  'popup/overview': v.strictObject({}),
  'popup/retry': linkRef,
  'popup/sync-now': v.strictObject({}),
  'popup/history': linkRef,
};

const allowedFrom: Origins = {
  'page/hello': 'content',
  'page/problems': 'content',
  'order/state': 'content',
  'order/preview': 'content',
  'order/send': 'content',
  'order/retry': 'content',
  'order/unlink': 'content',
  'order/history': 'content',
  'composer/choice': 'content',
  'comment/choice': 'content',
  'comment/retry': 'content',
  'comment/post': 'content',
  'settings/test-connection': 'extension',
  'popup/overview': 'extension',
  'popup/retry': 'extension',
  'popup/sync-now': 'extension',
  'popup/history': 'extension',
};

/** Scheme and host; spelled out because URL's `origin` is "null" for extension schemes outside the browser's own parser. */
function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.host === '' ? null : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

/**
 * Who sent a message, by origin, not by a prefix of the address: an extension page of ours, or
 * our content script in the top frame of a web page (a frame inside the box's page is somebody
 * else's). Where the browser says the frame's real origin, it must be the address's own.
 */
function senderKind(sender: MessageSender): 'content' | 'extension' | null {
  const origin = sender.url ? originOf(sender.url) : null;
  if (sender.id !== extensionId() || origin === null) return null;
  if (sender.origin !== undefined && sender.origin !== origin) return null;
  if (origin === extensionOrigin()) return 'extension';
  if (sender.tab && sender.frameId === 0 && /^https?:\/\//.test(origin)) return 'content';
  return null;
}

const envelopeSchema = v.object({ type: v.string(), payload: v.unknown() });

const fail = (error: KeyedErrorData): Reply<never> => ({ ok: false, error });

export function createRouter(handlers: Handlers) {
  return async (message: unknown, sender: MessageSender): Promise<Reply<unknown>> => {
    const envelope = v.safeParse(envelopeSchema, message);
    if (!envelope.success || !Object.hasOwn(schemas, envelope.output.type)) return fail({ kind: 'protocol', messageKey: 'error_bad_message' });
    const type = envelope.output.type as MessageType;
    const kind = senderKind(sender);
    // Extension pages may send anything; a content script only what is marked as its own.
    if (kind === null || (kind === 'content' && allowedFrom[type] !== 'content')) return fail({ kind: 'auth', messageKey: 'error_bad_sender' });
    const payload = v.safeParse(schemas[type], envelope.output.payload);
    if (!payload.success) return fail({ kind: 'protocol', messageKey: 'error_bad_message', detail: v.summarize(payload.issues) });
    try {
      const handler = handlers[type] as (p: unknown, s: MessageSender) => Promise<unknown>;
      return { ok: true, value: await handler(payload.output, sender) };
    } catch (error) {
      return fail(keyedErrorData(error));
    }
  };
}
