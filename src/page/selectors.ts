// Everything we know about OneBox's pages, in one place: the order page addresses and the
// elements the content script attaches to. Each alternative names the saved pages (page versions)
// it matches; test/unit/selectors.test.ts runs it against them. Anchors that stay missing are
// reported to the worker (src/content/anchors.ts), never silently ignored.

/** Order page addresses; each yields the order id. */
export const ORDER_URL_PATTERNS: readonly { version: string; pattern: RegExp }[] = [
  // The modern process page: https://<box>/<id>/
  { version: 'modern process page', pattern: /^\/(\d+)\/?$/ },
  // Older boxes: the shop order editor and custom-order editors of any type.
  { version: 'shop order editor (2016 engine)', pattern: /^\/admin\/shop\/orders\/(\d+)\/?$/ },
  { version: 'custom order editor (2016 engine)', pattern: /^\/admin\/customorder\/[^/]+\/(\d+)\/edit\/?$/ },
];

/** The order id of an order page address, or null when the address is not an order page. */
export function orderIdFromUrl(url: string): string | null {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return null;
  }
  for (const { pattern } of ORDER_URL_PATTERNS) {
    const match = pattern.exec(path);
    if (match?.[1]) return match[1];
  }
  return null;
}

/**
 * One way of finding an element, and the saved pages (in test/fixtures/, each a page version)
 * it must match there; test/unit/selectors.test.ts fails on one that names none or misses one.
 */
type Alternative = readonly [css: string, ...fixtures: string[]];

const ENGINE_2016 = 'order-page-2016.html';
/** The modern process page as the sandbox renders it (onebox-api.md: no public markup of it). */
const MODERN = 'order-page-modern.html';

/** Per element, its alternatives, tried in order: the first that matches wins. */
export const SELECTORS = {
  /** Where the send control goes: the order's title area. */
  orderHeader: [['.ob-order-header', MODERN], ['.ob-block-order-header', ENGINE_2016], ['h1', ENGINE_2016, MODERN]],
  /** The native comment list and its items (2016 engine box_block_comment_list.html). */
  commentList: [['.ob-block-comments', ENGINE_2016, MODERN]],
  commentItem: [['.comment-item.js-item-comment', ENGINE_2016, MODERN]],
  commentText: [['.cbody[id^="js-text-"]', ENGINE_2016, MODERN]],
  commentHead: [['.chead', ENGINE_2016, MODERN]],
  /** The author link in a comment's head; `data-id` is the author's user id. */
  commentAuthor: [['.chead a.name[data-id]', ENGINE_2016, MODERN]],
  /** The person using the page: the box's user menu, else the author of a comment marked as theirs. */
  viewer: [['.ob-user[data-id]', MODERN], ['.comment-item.my-comment .chead a.name[data-id]', ENGINE_2016, MODERN]],
  /** The native composer: its block and textarea (the 2016 form's, or the modern `postcomment[]`). */
  composer: [['.ob-comment-add', ENGINE_2016, MODERN]],
  composerText: [['textarea#js-postcomment', ENGINE_2016, MODERN], ['textarea[name="postcomment"]', ENGINE_2016], ['textarea[name="postcomment[]"]', MODERN]],
} as const satisfies Record<string, readonly Alternative[]>;

export type SelectorName = keyof typeof SELECTORS;

/**
 * What the features attach to; each one that stays missing is reported (src/content/anchors.ts).
 * For the composer, the element is its textarea.
 */
export const ANCHORS = ['orderHeader', 'commentList', 'composer'] as const satisfies readonly SelectorName[];
export type Anchor = (typeof ANCHORS)[number];

export function find(root: ParentNode, name: SelectorName): Element | null {
  for (const [css] of SELECTORS[name]) {
    const found = root.querySelector(css);
    if (found) return found;
  }
  return null;
}

export function findAll(root: ParentNode, name: SelectorName): Element[] {
  for (const [css] of SELECTORS[name]) {
    const found = root.querySelectorAll(css);
    if (found.length > 0) return [...found];
  }
  return [];
}

/** An anchor as the page shows it now, or null. */
export function anchorOf(root: ParentNode, anchor: Anchor): Element | null {
  const found = find(root, anchor);
  return anchor === 'composer' && found ? find(found, 'composerText') : found;
}

const idOfText = (text: Element | null) => text?.id.replace(/^js-text-/, '') || null;

/** The comment id an item carries (`#js-text-<id>`), or null. */
export function commentIdOf(item: Element): string | null {
  return idOfText(find(item, 'commentText'));
}

/**
 * The ids of all comment items under root, in one query: a query per item costs milliseconds
 * on a page of 1,000 comments.
 */
export function commentIdsIn(root: ParentNode): string[] {
  for (const [item] of SELECTORS.commentItem) {
    for (const [text] of SELECTORS.commentText) {
      const found = [...root.querySelectorAll(`${item} ${text}`)].map(idOfText).filter((id) => id !== null);
      if (found.length > 0) return found;
    }
  }
  return [];
}

const USER_ID = /^[1-9]\d{0,14}$/;

/** The author's user id of a comment item, or null. */
export function commentAuthorOf(item: Element): string | null {
  const id = find(item, 'commentAuthor')?.getAttribute('data-id') ?? '';
  return USER_ID.test(id) ? id : null;
}

/** The user id of the person the page shows as signed in, or null. */
export function viewerIdOf(root: ParentNode): string | null {
  const id = find(root, 'viewer')?.getAttribute('data-id') ?? '';
  return USER_ID.test(id) ? id : null;
}

/** A comment item written by the person using the page: their user id, or the box's own mark. */
export function isOwnComment(item: Element, viewerId: string | null): boolean {
  const author = commentAuthorOf(item);
  return (viewerId !== null && author === viewerId) || item.matches('.my-comment');
}

/** Whether a node just added to the page is, or holds, an element of the named kind. */
export function holds(node: Node, name: SelectorName): boolean {
  if (!(node instanceof Element)) return false;
  return SELECTORS[name].some(([css]) => node.matches(css) || node.querySelector(css) !== null);
}
