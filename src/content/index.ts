// Content script entry: runs on the user's own box pages. It never sees credentials; all it
// knows comes from the background through typed messages.
import { request } from '../messages/send';

async function main(): Promise<void> {
  const hello = await request('page/hello', { url: location.href });
  if (!hello.ownBox) return;
  const button = document.createElement('button');
  button.type = 'button';
  button.dataset.partnerSync = 'send';
  button.textContent = hello.strings.page_send ?? 'Send to partner';
  document.body.append(button);
}

void main();
