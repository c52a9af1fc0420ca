// The "visible to partner" pictogram in the native comment composer of a linked order. When
// the author submits, the content script tells the worker their choice before the page's own
// request leaves (capture phase), so a private comment is known as private before it is seen.
import { request } from '../../messages/send';
import { find } from '../../page/selectors';
import { h } from '../dom';
import type { PageState } from '../page-state';
import { t } from '../strings';

const STYLE = 'display:inline-flex;align-items:center;gap:4px;margin:4px 0;font:13px system-ui,sans-serif;border:1px solid #8c959f;border-radius:6px;padding:2px 8px;cursor:pointer;background:#fff;';

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

export function createToggle(page: PageState): { button: HTMLButtonElement; shared(): boolean; reset(): void } {
  const button = h('button', { type: 'button', 'data-partner-sync': 'share-toggle', style: STYLE });
  let shared = page.get().shareByDefault;
  const draw = () => {
    button.setAttribute('aria-pressed', String(shared));
    button.replaceChildren(pictogram(shared), shared ? t('page_share_on') : t('page_share_off'));
    button.title = shared ? t('page_share_on_hint', partnerNames(page)) : t('page_share_off_hint');
  };
  button.addEventListener('click', () => {
    shared = !shared;
    draw();
  });
  draw();
  return {
    button,
    shared: () => shared,
    reset: () => {
      shared = page.get().shareByDefault;
      draw();
    },
  };
}

/** True once the order is linked with at least one partner: only then is there someone to share with. */
export const isLinked = (page: PageState) => page.get().links.some((l) => l.state === 'linked');

export function init(signal: AbortSignal, page: PageState): boolean {
  const composer = find(document, 'composer');
  const textarea = composer && find(composer, 'composerText');
  if (!composer || !(textarea instanceof HTMLTextAreaElement)) return false;
  const toggle = createToggle(page);
  const place = () => {
    if (isLinked(page) && !toggle.button.isConnected) textarea.after(toggle.button);
    if (!isLinked(page)) toggle.button.remove();
  };
  const tell = () => {
    const text = textarea.value;
    if (!isLinked(page) || text.trim() === '') return;
    void request('comment/intent', { text, share: toggle.shared() });
    toggle.reset();
  };
  const onSubmit = (event: Event) => {
    if (event.target instanceof Node && composer.contains(event.target)) tell();
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.target === textarea && event.key === 'Enter' && (event.ctrlKey || event.metaKey)) tell();
  };
  // Capture on the document runs before the page's own listeners on the form and textarea.
  document.addEventListener('submit', onSubmit, { capture: true, signal });
  document.addEventListener('keydown', onKey, { capture: true, signal });
  signal.addEventListener('abort', () => toggle.button.remove());
  page.subscribe(place);
  place();
  return true;
}
