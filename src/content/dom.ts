// A few lines of DOM building for the content script. Everything from a box or a partner is
// set as text (textContent / attributes), never parsed as HTML.
type Attrs = Record<string, string | boolean | undefined | ((event: Event) => void)>;
export type Child = Node | string | null | undefined | false;

/**
 * An element with attributes and children. Its `on…` handlers run only for what the user did
 * (`isTrusted`): another script on the box's page cannot press our controls for them.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, '').toLowerCase(), (event) => event.isTrusted && value(event));
    else if (value === true) element.setAttribute(name, '');
    else if (typeof value === 'string') element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child) element.append(child);
  }
  return element;
}

/** A host element with an open shadow root (open, so page tools and tests can see inside). */
export function shadowHost(role: string, css: string): { host: HTMLElement; root: ShadowRoot } {
  const host = h('div', { 'data-partner-sync-host': role });
  const root = host.attachShadow({ mode: 'open' });
  root.append(h('style', {}, css));
  return { host, root };
}

/**
 * Runs `run` in the next frame, before it paints (a hidden page has no frames: the next task).
 * Drawing there, not in the task that asked, keeps that task short and reads the page's layout
 * once for the frame rather than forcing it in the middle of the page's own scripts.
 */
export function nextFrame(run: () => void): void {
  if (document.visibilityState === 'visible') requestAnimationFrame(run);
  else setTimeout(run, 0);
}
