// Content script entry: runs on the user's own box pages. It never sees credentials; all it
// knows comes from the background through typed messages. Each feature undoes itself when the
// controller aborts (the page is left, the extension is updated, or a newer copy takes over).
import { request } from '../messages/send';
import { createPageState, showBanner } from './page-state';
import { nextFrame } from './dom';
import { setStrings, t } from './strings';
import * as commentStatus from './features/comment-status';
import * as ownComposer from './features/own-composer';
import * as sendToPartner from './features/send-to-partner';
import * as shareToggle from './features/share-toggle';

/** Told by a newer copy of this script (injected after an update) to the copy already running. */
const REPLACED_EVENT = 'partner-sync:replaced';

/**
 * An older copy of this script (the extension was updated or reloaded with the page open) may
 * have left its controls: the pictogram state they show is taken over, the older copy is told
 * to stop, and whatever it left is removed. Returns the older pictogram's state, if any.
 */
function takeOver(): boolean | undefined {
  const hosts = [...document.querySelectorAll('[data-partner-sync-host]')];
  const toggles = [document, ...hosts.map((host) => host.shadowRoot).filter((root) => root !== null)]
    .map((root) => root.querySelector('[data-partner-sync=share-toggle]'))
    .filter((toggle) => toggle !== null);
  const shown = toggles.length > 0 ? toggles.every((toggle) => toggle.getAttribute('aria-pressed') === 'true') : undefined;
  document.dispatchEvent(new CustomEvent(REPLACED_EVENT));
  for (const element of document.querySelectorAll('[data-partner-sync], [data-partner-sync-host]')) element.remove();
  return shown;
}

async function main(controller: AbortController): Promise<void> {
  const { signal } = controller;
  const previous = takeOver();
  document.addEventListener(REPLACED_EVENT, () => controller.abort(), { once: true, signal });
  const hello = await request('page/hello', {});
  if (!hello.ownBox || !hello.order || signal.aborted) return;
  // Timed for `npm run bench`: the synchronous setup (the controls and marks follow in the next frame).
  const start = performance.now();
  setStrings(hello.strings);
  document.documentElement.dataset.partnerSyncLanguage = hello.language;
  const page = createPageState(signal, hello.order, () => {
    controller.abort();
    showBanner(t('page_extension_updated'));
  });
  // The pictogram first: the author's choice must be caught however soon the page posts.
  const choices = shareToggle.createChoices(page, previous ?? hello.order.composerShare);
  shareToggle.init(signal, page, choices, ownComposer.init(signal, page, choices));
  // What the older copy's pictogram showed is what the author sees: record it before anything is posted.
  if (previous !== undefined) void choices.tellComposer();
  commentStatus.init(signal, page);
  // Drawn in the next frame, with the marks in view: before the page paints, outside this task.
  nextFrame(() => {
    if (signal.aborted) return;
    const drawn = performance.now();
    sendToPartner.init(signal, page);
    performance.measure('partner-sync:send', { start: drawn });
  });
  performance.measure('partner-sync:init', { start });
  await page.refresh();
}

const controller = new AbortController();
addEventListener('pagehide', () => controller.abort(), { once: true });
void main(controller);
