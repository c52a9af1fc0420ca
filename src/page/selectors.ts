// Everything we know about OneBox's pages, in one place: the order page addresses and the
// elements the content script attaches to. Each entry names the page versions it matches; the
// tests in test/unit/selectors.test.ts run them against saved page fixtures. Elements that are
// not found are reported (see `findOrReport`), never silently ignored.

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

export interface SelectorEntry {
  /** Tried in order; the first that matches wins. */
  css: readonly string[];
  versions: string;
}

export const SELECTORS = {
  /** Where the send control goes: the order's title area. */
  orderHeader: { css: ['.ob-order-header', '.ob-block-order-header', '.js-order-header', 'h1'], versions: 'process page header; 2016 engine title' },
  /** The native comment list and its items (2016 engine box_block_comment_list.html). */
  commentList: { css: ['.ob-block-comments'], versions: '2016 engine comment block' },
  commentItem: { css: ['.comment-item.js-item-comment'], versions: '2016 engine comment block' },
  commentText: { css: ['.cbody[id^="js-text-"]'], versions: '2016 engine comment block' },
  commentHead: { css: ['.chead'], versions: '2016 engine comment block' },
  /** The author link in a comment's head; `data-id` is the author's user id. */
  commentAuthor: { css: ['.chead a.name[data-id]'], versions: '2016 engine comment block' },
  /** The person using the page: the box's user menu, else the author of a comment marked as theirs. */
  viewer: { css: ['.ob-user[data-id]', '.comment-item.my-comment .chead a.name[data-id]'], versions: 'sandbox header (assumed); 2016 engine comment block' },
  /** The native composer: its block, textarea and form. */
  composer: { css: ['.ob-comment-add'], versions: '2016 engine comment block' },
  composerText: { css: ['textarea#js-postcomment', 'textarea[name="postcomment"]', 'textarea[name="postcomment[]"]'], versions: '2016 engine comment block; modern composer (postcomment[])' },
} as const satisfies Record<string, SelectorEntry>;

export type SelectorName = keyof typeof SELECTORS;

export function find(root: ParentNode, name: SelectorName): Element | null {
  for (const css of SELECTORS[name].css) {
    const found = root.querySelector(css);
    if (found) return found;
  }
  return null;
}

export function findAll(root: ParentNode, name: SelectorName): Element[] {
  for (const css of SELECTORS[name].css) {
    const found = root.querySelectorAll(css);
    if (found.length > 0) return [...found];
  }
  return [];
}

/** The comment id an item carries (`#js-text-<id>`), or null. */
export function commentIdOf(item: Element): string | null {
  const text = find(item, 'commentText');
  return text?.id.replace(/^js-text-/, '') || null;
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
  return SELECTORS[name].css.some((css) => node.matches(css) || node.querySelector(css) !== null);
}
