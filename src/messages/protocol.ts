// The one message protocol between the extension's contexts. Each message type names its
// request payload, its response, and who may send it; the background validates both the payload
// (see `src/background/router.ts`) and the sender before any handler runs.

/** Strings and state the content script needs to draw its controls on an order page. */
export interface PageHello {
  language: string;
  strings: Record<string, string>;
  /** True when the page belongs to the box the user set as their own. */
  ownBox: boolean;
}

export interface Protocol {
  'page/hello': { request: { url: string }; response: PageHello; from: 'content' };
}

export type MessageType = keyof Protocol;
export type RequestOf<T extends MessageType> = Protocol[T]['request'];
export type ResponseOf<T extends MessageType> = Protocol[T]['response'];

export interface Envelope<T extends MessageType = MessageType> {
  type: T;
  payload: RequestOf<T>;
}

/** Replies carry either the value or an error the sender can show in the user's language. */
export type Reply<T> = { ok: true; value: T } | { ok: false, error: { messageKey: string; detail?: string } };
