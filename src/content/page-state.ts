// The order's sync state as the page shows it. While the page is visible it is refreshed every
// few seconds, which also tells the worker to keep this order's links polled quickly.
import type { OrderPageState } from '../messages/protocol';
import { request } from '../messages/send';

const VISIBLE_POLL_MS = 3_000;

export interface PageState {
  get(): OrderPageState;
  set(state: OrderPageState): void;
  subscribe(listener: (state: OrderPageState) => void): void;
  refresh(): Promise<void>;
}

export function createPageState(signal: AbortSignal, initial: OrderPageState): PageState {
  let state = initial;
  const listeners: ((state: OrderPageState) => void)[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const set = (next: OrderPageState) => {
    state = next;
    for (const listener of listeners) listener(state);
  };
  const refresh = async () => {
    clearTimeout(timer);
    try {
      set(await request('order/state', {}));
    } catch {
      // A worker that is restarting answers on the next round.
    }
    if (!signal.aborted && document.visibilityState === 'visible') timer = setTimeout(() => void refresh(), VISIBLE_POLL_MS);
  };
  const onVisibility = () => {
    if (document.visibilityState === 'visible') void refresh();
  };
  document.addEventListener('visibilitychange', onVisibility, { signal });
  signal.addEventListener('abort', () => clearTimeout(timer));
  return { get: () => state, set, subscribe: (listener) => void listeners.push(listener), refresh };
}
