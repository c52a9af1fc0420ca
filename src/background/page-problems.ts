// What open order pages lack, one record per tab in session storage: small, forgotten with the
// tab, at the page's next load (which reports afresh), when the page finds it after all, and
// when the browser closes.
import { KeyedError } from '../errors/keyed-error';
import type { Anchor } from '../page/selectors';
import { sessionStore, type MessageSender } from '../platform/browser-api';

const PREFIX = 'page-problems|';

export interface PageProblemRecord {
  orderId: string;
  missing: Anchor[];
}

export function tabOf(sender: MessageSender): number {
  const tabId = sender.tab?.id;
  if (tabId === undefined) throw new KeyedError({ kind: 'auth', messageKey: 'error_bad_sender' });
  return tabId;
}

export async function recordPageProblems(tabId: number, orderId: string, missing: Anchor[]): Promise<void> {
  if (missing.length === 0) return clearPageProblems(tabId);
  const record: PageProblemRecord = { orderId, missing: [...new Set(missing)] };
  await sessionStore.set({ [PREFIX + tabId]: record });
}

export const clearPageProblems = (tabId: number): Promise<void> => sessionStore.remove(PREFIX + tabId);

/** Every open page's record, whatever tab it is in. */
export async function openPageProblems(): Promise<PageProblemRecord[]> {
  const stored = await sessionStore.get(null);
  return Object.entries(stored).filter(([key]) => key.startsWith(PREFIX)).map(([, record]) => record as PageProblemRecord);
}
