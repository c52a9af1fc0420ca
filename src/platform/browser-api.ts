// The only module that touches the extension APIs (`browser.*` through webextension-polyfill,
// so the same code runs in Chrome and Firefox), besides runtime.ts, the messaging every context
// sends with (the content script's, so it does not carry the polyfill). Everything else imports
// from these two, which keeps the surface we depend on small, typed and easy to fake in unit tests.
import browser from 'webextension-polyfill';
import type { Runtime } from 'webextension-polyfill';

/** Chromium also says which origin the sending frame really has (`origin`); Firefox does not. */
export type MessageSender = Runtime.MessageSender & { origin?: string };

export const extensionId = (): string => browser.runtime.id;
export const extensionUrl = (path: string): string => browser.runtime.getURL(path);
export const extensionOrigin = (): string => new URL(browser.runtime.getURL('/')).origin;
// Firefox's extension pages are moz-extension:// ones: the Firefox differences below key on it.
const inFirefox = (): boolean => browser.runtime.getURL('/').startsWith('moz-extension:');
export const uiLanguage = (): string => browser.i18n.getUILanguage();
export const manifest = () => browser.runtime.getManifest();

export const localStore = {
  get: (keys: string | string[]) => browser.storage.local.get(keys),
  set: (items: Record<string, unknown>) => browser.storage.local.set(items),
  remove: (keys: string | string[]) => browser.storage.local.remove(keys),
};

// Session storage lives in memory, survives a worker restart but not a browser restart, and is
// closed to content scripts by default: the place for tokens.
export const sessionStore = {
  /** `null`: everything stored. */
  get: (keys: string | string[] | null) => browser.storage.session.get(keys),
  set: (items: Record<string, unknown>) => browser.storage.session.set(items),
  remove: (keys: string | string[]) => browser.storage.session.remove(keys),
};

/** Company-wide settings pushed by policy; an empty object when none (or unsupported). */
export async function managedSettings(): Promise<Record<string, unknown>> {
  try {
    return await browser.storage.managed.get(null);
  } catch {
    return {};
  }
}

export function onStorageChanged(listener: (changes: Record<string, unknown>, area: string) => void): void {
  browser.storage.onChanged.addListener((changes, area) => listener(changes, area));
}

/** Registers a handler whose promise becomes the reply; must be called at the worker's top level. */
export function onMessage(handler: (message: unknown, sender: MessageSender) => Promise<unknown>): void {
  browser.runtime.onMessage.addListener((message: unknown, sender: MessageSender) => handler(message, sender));
}

export function onTabRemoved(listener: (tabId: number) => void): void {
  browser.tabs.onRemoved.addListener((tabId) => listener(tabId));
}

export function sendMessageToTab(tabId: number, message: unknown): Promise<unknown> {
  return browser.tabs.sendMessage(tabId, message);
}

export function onInstalled(listener: () => void): void {
  browser.runtime.onInstalled.addListener(() => listener());
}

export function onStartup(listener: () => void): void {
  browser.runtime.onStartup.addListener(listener);
}

export const alarms = {
  /** One wake-up at `when` (epoch ms); the browser delays one sooner than 30 s to 30 s. */
  at: (name: string, when: number) => browser.alarms.create(name, { when }),
  clear: (name: string) => browser.alarms.clear(name).then(() => undefined),
  onAlarm: (listener: (name: string) => void) => browser.alarms.onAlarm.addListener((alarm) => listener(alarm.name)),
};

// Firefox's getManifest() names the content script files as full moz-extension:// URLs, which
// registerContentScripts and executeScript refuse: both take paths inside the extension.
const extensionPaths = (files: string[]): string[] => files.map((file) => new URL(file, browser.runtime.getURL('/')).pathname.slice(1));

export const contentScripts = {
  registered: () => browser.scripting.getRegisteredContentScripts(),
  register: (id: string, matches: string[], js: string[]) =>
    browser.scripting.registerContentScripts([{ id, matches, js: extensionPaths(js), runAt: 'document_idle', persistAcrossSessions: true }]),
  unregister: (ids: string[]) => browser.scripting.unregisterContentScripts({ ids }),
};

/**
 * Runs the content script in the tabs already open on an origin (after an install or update,
 * Chrome does not do it itself). Reads only tabs whose origin the extension has access to.
 */
export async function injectIntoOpenTabs(origin: string, files: string[]): Promise<number> {
  const tabs = await browser.tabs.query({ url: originPattern(origin) });
  let injected = 0;
  for (const tab of tabs) {
    // In Firefox the pattern covers the host's other ports too.
    if (tab.id === undefined || !tab.url || new URL(tab.url).origin !== origin) continue;
    await browser.scripting.executeScript({ target: { tabId: tab.id }, files: extensionPaths(files) });
    injected += 1;
  }
  return injected;
}

/**
 * The match pattern of one origin, for host permissions and content scripts. Firefox's match
 * patterns cannot name a port (it refuses `http://127.0.0.1:5101/*` as undeclared), so there the
 * pattern covers every port of the host; Chrome's name it.
 */
export function originPattern(origin: string): string {
  const url = new URL(origin);
  return inFirefox() ? `${url.protocol}//${url.hostname}/*` : `${url.origin}/*`;
}

export const hostPermissions = {
  contains: (origins: string[]) => browser.permissions.contains({ origins }),
  request: (origins: string[]) => browser.permissions.request({ origins }),
  remove: (origins: string[]) => browser.permissions.remove({ origins }),
  granted: async (): Promise<string[]> => (await browser.permissions.getAll()).origins ?? [],
};

export const badge = {
  set: async (text: string, color: string) => {
    await browser.action.setBadgeText({ text });
    await browser.action.setBadgeBackgroundColor({ color });
  },
};

export const openOptionsPage = (): Promise<void> => browser.runtime.openOptionsPage();

/**
 * Closes `storage.local` and `storage.session` to content scripts, so that settings holding REST
 * API passwords are readable only by the worker and the extension's own pages. Chromium has the
 * switch for both areas from version 140 (the manifest's minimum) and a refusal there is thrown
 * for the caller to report; Firefox has no switch (see the README):
 * its session storage is never exposed to content scripts, its local storage always is.
 */
export async function restrictStorageToTrustedContexts(): Promise<void> {
  const areas = [chromeStorageArea('local'), chromeStorageArea('session')];
  if (!areas.every((area) => typeof area?.setAccessLevel === 'function')) return;
  await Promise.all(areas.map((area) => area!.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' })));
}

// setAccessLevel is missing from the polyfill's types and wrapper, so it is reached on `chrome`.
function chromeStorageArea(name: 'local' | 'session') {
  return typeof chrome === 'undefined' ? undefined : (chrome.storage[name] as chrome.storage.StorageArea | undefined);
}

export function onHostPermissionsAdded(listener: () => void): void {
  browser.permissions.onAdded.addListener(() => listener());
}
