// The order's sync state as the page shows it. While the page is visible it is refreshed every
// few seconds, which also tells the worker to keep this order's links polled quickly. Requests
// that keep failing put a banner on the page; a worker that was updated under the page ends
// this copy of the script (see index.ts).
import type { OrderPageState } from '../messages/protocol';
import { KeyedError } from '../errors/keyed-error';
import { EXTENSION_UPDATED, request } from '../messages/send';
import { h } from './dom';
import { failureText, t } from './strings';

const VISIBLE_POLL_MS = 3_000;
/** Refreshes that fail in a row before the page says so: one may be a worker restarting. */
const FAILURES_BEFORE_BANNER = 3;
const BANNER_STYLE = 'position:fixed;left:12px;bottom:12px;z-index:2147483647;max-width:420px;padding:8px 12px;border-radius:6px;background:#fde7e9;color:#a40e26;font:13px/1.4 system-ui,sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.2);';

export interface PageState {
  get(): OrderPageState;
  set(state: OrderPageState): void;
  subscribe(listener: (state: OrderPageState) => void): void;
  refresh(): Promise<void>;
  /** A request of a feature failed: counted for the banner, and ends the script when it is stale. */
  reportFailure(error: unknown): void;
}

/** The page-wide banner; `data-partner-sync="page-problem"`. */
export function showBanner(text: string): HTMLElement {
  const banner = document.querySelector<HTMLElement>('[data-partner-sync=page-problem]') ?? h('div', { 'data-partner-sync': 'page-problem', role: 'alert', style: BANNER_STYLE });
  banner.textContent = text;
  if (!banner.isConnected) document.body.append(banner);
  return banner;
}

export function createPageState(signal: AbortSignal, initial: OrderPageState, onStale: () => void): PageState {
  let state = initial;
  const listeners: ((state: OrderPageState) => void)[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;

  const set = (next: OrderPageState) => {
    state = next;
    for (const listener of listeners) listener(state);
  };
  const reportFailure = (error: unknown) => {
    if (error instanceof KeyedError && error.messageKey === EXTENSION_UPDATED) return onStale();
    failures += 1;
    if (failures >= FAILURES_BEFORE_BANNER) showBanner(`${t('page_refresh_failing')} ${failureText(error, 'page_no_background')}`);
  };
  const refresh = async () => {
    clearTimeout(timer);
    try {
      set(await request('order/state', {}));
      failures = 0;
      document.querySelector('[data-partner-sync=page-problem]')?.remove();
    } catch (error) {
      reportFailure(error);
    }
    if (!signal.aborted && document.visibilityState === 'visible') timer = setTimeout(() => void refresh(), VISIBLE_POLL_MS);
  };
  const onVisibility = () => {
    if (document.visibilityState === 'visible') void refresh();
  };
  document.addEventListener('visibilitychange', onVisibility, { signal });
  signal.addEventListener('abort', () => clearTimeout(timer));
  return { get: () => state, set, subscribe: (listener) => void listeners.push(listener), refresh, reportFailure };
}
