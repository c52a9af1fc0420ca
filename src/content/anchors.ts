// The modern OneBox order page loads its blocks after the first HTML and redraws them
// (onebox-api.md), so features follow what they attach to instead of looking for it once. An
// anchor still missing a while after the page has loaded is reported to the worker, which shows
// it in the popup, and taken back as soon as it appears.
import { request } from '../messages/send';
import { anchorOf, type Anchor } from '../page/selectors';

/** How long after the page's load (or after it went away) an anchor may take to come. */
const SETTLE_MS = 3_000;

const loaded = new Promise((resolve) => (document.readyState === 'complete' ? resolve(0) : addEventListener('load', resolve, { once: true })));
const missing = new Set<Anchor>();

function report(anchor: Anchor, isMissing: boolean): void {
  if (missing.has(anchor) === isMissing) return;
  if (isMissing) missing.add(anchor);
  else missing.delete(anchor);
  // A worker that cannot be reached is said on the page by the state refresh's banner.
  request('page/problems', { missing: [...missing] }).catch(() => undefined);
}

/**
 * Calls `onChange` with the anchor now, if the page has it, and again with each different one
 * the page puts in its place; with null once it has been missing for the settle time.
 */
export function watch(signal: AbortSignal, anchor: Anchor, onChange: (element: Element | null) => void): void {
  let seen: Element | null | undefined;
  let absences = 0;
  const check = () => {
    const found = anchorOf(document, anchor);
    if (found === seen) return;
    seen = found;
    if (found) {
      report(anchor, false);
      return onChange(found);
    }
    const absence = ++absences;
    void loaded.then(() => setTimeout(() => {
      if (absence !== absences || seen || signal.aborted) return;
      report(anchor, true);
      onChange(null);
    }, SETTLE_MS));
  };
  const observer = new MutationObserver(check);
  observer.observe(document.documentElement, { childList: true, subtree: true });
  signal.addEventListener('abort', () => observer.disconnect());
  check();
}
