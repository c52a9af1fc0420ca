// The "visible to partner" pictogram in the native comment composer of a linked order, wherever
// and however often the page draws the composer; where the page has none, in the extension's
// own (own-composer.ts). The worker learns the author's choice in two ways, neither of which
// depends on how the page posts (a form, a button's own handler, Enter, a redrawn composer):
// - as the pictogram changes (`composer/choice`): the choice the order's next comment gets;
// - when a comment of the page's user appears in the list (`comment/choice`): bound to its id
//   and author, never to a text.
// The worker holds every new comment for the hold window and decides it only when its write
// starts, so a choice recorded meanwhile always counts; with none, it fails closed.
import { request } from '../../messages/send';
import { commentAuthorOf, commentIdOf, commentIdsIn, find, findAll, holds, isOwnComment, viewerIdOf } from '../../page/selectors';
import { watch } from '../anchors';
import { h } from '../dom';
import type { PageState } from '../page-state';
import { failureText, t } from '../strings';

const STYLE = 'display:inline-flex;align-items:center;gap:4px;margin:4px 0;font:13px system-ui,sans-serif;border:1px solid #8c959f;border-radius:6px;padding:2px 8px;cursor:pointer;background:#fff;';
const NOTE_STYLE = 'margin-left:8px;font:12px system-ui,sans-serif;color:#a40e26;';

const SVG = 'http://www.w3.org/2000/svg';
// An open eye (the partner sees it) or a struck-out one (colleagues only), drawn inline so it
// shows the same on every system, emoji fonts or not.
const EYE = 'M1 8s2.5-5 7-5 7 5 7 5-2.5 5-7 5-7-5-7-5z M8 5.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z';
const STRIKE = 'M2 14 14 2';

function pictogram(shared: boolean): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  for (const d of shared ? [EYE] : [EYE, STRIKE]) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', 'currentColor');
    path.setAttribute('stroke-width', '1.5');
    svg.append(path);
  }
  return svg;
}

export function partnerNames(page: PageState): string {
  const linked = new Set(page.get().links.filter((l) => l.state === 'linked').map((l) => l.partnerId));
  return page.get().partners.filter((p) => linked.has(p.id)).map((p) => p.name).join(', ');
}

export interface Toggle {
  button: HTMLButtonElement;
  /** Beside the pictogram: why a choice could not be recorded, or that a comment had already left. */
  note: HTMLElement;
  shared(): boolean;
  set(shared: boolean): void;
}

/** The pictogram button. Only the user's own clicks switch it: a script on the page cannot. */
export function createToggle(page: PageState, initial: boolean, onChange: (shared: boolean) => void): Toggle {
  const button = h('button', { type: 'button', 'data-partner-sync': 'share-toggle', style: STYLE, onclick: () => {
    shared = !shared;
    draw();
    onChange(shared);
  } });
  const note = h('span', { 'data-partner-sync': 'share-toggle-note', role: 'status', style: NOTE_STYLE });
  let shared = initial;
  const draw = () => {
    button.setAttribute('aria-pressed', String(shared));
    button.replaceChildren(pictogram(shared), shared ? t('page_share_on') : t('page_share_off'));
    button.title = shared ? t('page_share_on_hint', partnerNames(page)) : t('page_share_off_hint');
  };
  draw();
  return { button, note, shared: () => shared, set: (value) => { shared = value; draw(); } };
}

/**
 * What the page tells the worker about the author's choices, in the order they happened. The
 * choice a new comment gets fails closed: after a post was seen it is what the pictogram showed
 * then, and "private" if it was switched to private at any moment before the comment appeared;
 * with no post seen, "shared" only if the pictogram stayed shared since the last comment.
 */
export function createChoices(page: PageState, initial: boolean) {
  let posted = false;
  let atPost = initial;
  let wasPrivate = !initial;
  let queue: Promise<void> = Promise.resolve();
  const toggle = createToggle(page, initial, (shared) => {
    if (!shared) {
      wasPrivate = true;
      atPost = false;
    }
    tellComposer();
  });
  const next = () => (posted ? atPost : toggle.shared() && !wasPrivate);
  const send = (task: () => Promise<string | null>) => {
    queue = queue.then(task).then(
      (note) => void (toggle.note.textContent = note ?? ''),
      (error: unknown) => {
        toggle.note.textContent = failureText(error, 'page_choice_not_recorded');
        page.reportFailure(error);
      },
    );
    return queue;
  };
  const tellComposer = () => {
    const viewerId = viewerIdOf(document);
    const share = next();
    return send(async () => (await request('composer/choice', { share, ...(viewerId ? { viewerId } : {}) }), null));
  };
  return {
    toggle,
    tellComposer,
    /** The page is about to post (a submit, a click in the composer, Enter in its text). */
    posting() {
      atPost = posted ? atPost && toggle.shared() : toggle.shared();
      posted = true;
      wasPrivate = !toggle.shared();
      void tellComposer();
    },
    /** Comments of the page's user that just appeared: bound to the choice, then the pictogram starts over. */
    appeared(comments: { commentId: string; authorId: string | null }[]) {
      const share = next();
      for (const { commentId, authorId } of comments) {
        void send(async () => {
          const outcome = await request('comment/choice', { commentId, share, ...(authorId ? { authorId } : {}) });
          return outcome === 'already-sent' && !share ? t('page_already_sent') : null;
        });
      }
      posted = false;
      toggle.set(page.get().shareByDefault);
      wasPrivate = !toggle.shared();
      void tellComposer();
    },
  };
}

/** True once the order is linked with at least one partner: only then is there someone to share with. */
export const isLinked = (page: PageState) => page.get().links.some((l) => l.state === 'linked');

/** Ids of the comment items in the page now; null while the page shows no comment list. */
function commentIds(): Set<string> | null {
  if (!find(document, 'commentList')) return null;
  return new Set(commentIdsIn(document));
}

const idsWithin = (node: Node): string[] => (node instanceof Element ? commentIdsIn(node) : []);

/**
 * What `commentIds()` gave before these mutations, told from the page now: less what they
 * added, plus what they removed (a redrawn list's old items are among the removed).
 */
function commentIdsBefore(mutations: MutationRecord[]): Set<string> | null {
  const added = mutations.flatMap((m) => [...m.addedNodes]);
  const removed = mutations.flatMap((m) => [...m.removedNodes]);
  const hadList = (find(document, 'commentList') !== null && !added.some((node) => holds(node, 'commentList'))) || removed.some((node) => holds(node, 'commentList'));
  if (!hadList) return null;
  const appeared = new Set(added.flatMap(idsWithin));
  return new Set([...commentIdsIn(document).filter((id) => !appeared.has(id)), ...removed.flatMap(idsWithin)]);
}

export type Choices = ReturnType<typeof createChoices>;

/** `offerOwn(true)`: the page has no composer we know, the extension's own is shown instead. */
export function init(signal: AbortSignal, page: PageState, choices: Choices, offerOwn: (shown: boolean) => void): void {
  const { toggle } = choices;
  // undefined: not found yet, null: missing once the page settled.
  let textarea: Element | null | undefined;
  const place = () => {
    const linked = isLinked(page);
    if (!linked) {
      toggle.button.remove();
      toggle.note.remove();
    } else if (textarea && toggle.button.previousElementSibling !== textarea) {
      textarea.after(toggle.button, toggle.note);
    }
    offerOwn(linked && textarea === null);
  };
  const inComposer = (target: EventTarget | null): target is Element =>
    target instanceof Element && !toggle.button.contains(target) && find(document, 'composer')?.contains(target) === true;
  const onSubmit = (event: Event) => {
    if (inComposer(event.target)) choices.posting();
  };
  const onClick = (event: Event) => {
    if (inComposer(event.target) && event.target.closest('button, input[type=submit], input[type=button], [role=button], a')) choices.posting();
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && !event.shiftKey && inComposer(event.target)) choices.posting();
  };
  // Capture on the document runs before the page's own listeners on the form, button and textarea.
  document.addEventListener('submit', onSubmit, { capture: true, signal });
  document.addEventListener('click', onClick, { capture: true, signal });
  document.addEventListener('keydown', onKey, { capture: true, signal });

  // The comments a list shows when it first comes (the modern page loads it late) were there
  // before this page: only those that appear after it are bound to the pictogram. Reading them
  // all is left out of the page's first task (undefined: not read yet); mutations before then
  // tell what was there from what they changed, so no comment is taken for an old one.
  let seen: Set<string> | null | undefined;
  const firstLook = setTimeout(() => {
    if (seen === undefined) seen = commentIds();
  }, 0);
  signal.addEventListener('abort', () => clearTimeout(firstLook));
  // Only additions of comments or of a list matter; the marks the extension draws do not.
  const observer = new MutationObserver((mutations) => {
    if (seen === undefined) seen = commentIdsBefore(mutations);
    const added = mutations.flatMap((m) => [...m.addedNodes]);
    if (!added.some((node) => holds(node, 'commentItem') || holds(node, 'commentList'))) return;
    const now = commentIds();
    const before = seen;
    if (!now) return;
    seen = new Set([...(before ?? []), ...now]);
    if (!before) return;
    const viewerId = viewerIdOf(document);
    const fresh = findAll(document, 'commentItem').filter((item) => {
      const id = commentIdOf(item);
      return id !== null && !before.has(id) && isOwnComment(item, viewerId);
    });
    if (fresh.length > 0 && isLinked(page)) {
      choices.appeared(fresh.map((item) => ({ commentId: commentIdOf(item)!, authorId: commentAuthorOf(item) })));
    }
  });
  observer.observe(document.body, { childList: true, subtree: true });
  signal.addEventListener('abort', () => {
    observer.disconnect();
    toggle.button.remove();
    toggle.note.remove();
  });
  watch(signal, 'composer', (found) => {
    textarea = found;
    place();
  });
  page.subscribe(place);
}
