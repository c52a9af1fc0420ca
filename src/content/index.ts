// Content script entry: runs on the user's own box pages. It never sees credentials; all it
// knows comes from the background through typed messages. Each feature undoes itself when the
// controller aborts (e.g. when the extension is updated or the page navigates away).
import { request } from '../messages/send';
import { setStrings } from './strings';
import * as sendToPartner from './features/send-to-partner';

async function main(signal: AbortSignal): Promise<void> {
  const hello = await request('page/hello', {});
  if (!hello.ownBox || !hello.order) return;
  setStrings(hello.strings);
  document.documentElement.dataset.partnerSyncLanguage = hello.language;
  sendToPartner.init(signal, hello.order);
}

const controller = new AbortController();
addEventListener('pagehide', () => controller.abort(), { once: true });
void main(controller.signal);
