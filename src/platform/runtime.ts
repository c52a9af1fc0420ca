// Messaging with the worker through the browser's own API, without webextension-polyfill: the
// content script is loaded into every box page and carries nothing it does not need. Chrome's
// `chrome.runtime.sendMessage` answers with a promise in MV3, as Firefox's `browser.runtime` does.
interface Runtime {
  id?: string;
  sendMessage(message: unknown): Promise<unknown>;
}

type Namespaces = { browser?: { runtime?: Runtime }; chrome?: { runtime?: Runtime } };

const runtime = (): Runtime | undefined => {
  const scope = globalThis as Namespaces;
  return (scope.browser ?? scope.chrome)?.runtime;
};

/** False in a content script whose extension was updated, reloaded or removed since it started. */
export function extensionContextAlive(): boolean {
  try {
    return Boolean(runtime()?.id);
  } catch {
    return false;
  }
}

export function sendMessage(message: unknown): Promise<unknown> {
  if (!extensionContextAlive()) return Promise.reject(new Error('Extension context invalidated.'));
  return runtime()!.sendMessage(message);
}
