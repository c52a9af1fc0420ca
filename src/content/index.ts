// Content script entry: runs on the user's own box pages. It never sees credentials; all it
// knows comes from the background through typed messages. Each feature undoes itself when the
// controller aborts (the page is left, or the extension is updated).
import { request } from '../messages/send';
import { createPageState } from './page-state';
import { setStrings } from './strings';
import * as commentStatus from './features/comment-status';
import * as ownComposer from './features/own-composer';
import * as sendToPartner from './features/send-to-partner';
import * as shareToggle from './features/share-toggle';

async function main(signal: AbortSignal): Promise<void> {
  const hello = await request('page/hello', {});
  if (!hello.ownBox || !hello.order) return;
  // Timed for `npm run bench`: the synchronous setup, first status marks included.
  const start = performance.now();
  setStrings(hello.strings);
  document.documentElement.dataset.partnerSyncLanguage = hello.language;
  const page = createPageState(signal, hello.order);
  sendToPartner.init(signal, page);
  commentStatus.init(signal, page);
  if (!shareToggle.init(signal, page)) {
    console.warn('[Partner Sync] comment composer not found: offering the extension’s own');
    ownComposer.init(signal, page);
  }
  performance.measure('partner-sync:init', { start });
  await page.refresh();
}

const controller = new AbortController();
addEventListener('pagehide', () => controller.abort(), { once: true });
void main(controller.signal);
