// What the platform module does differently in Firefox: match patterns without a port, and
// content script files given as paths inside the extension (the storage switch: see
// storage-access.test.ts). The extension API is faked; which browser it is shows in the extension's own URL.
import { afterEach, describe, expect, it, vi } from 'vitest';

let extensionBase = 'chrome-extension://abcdefghijklmnop/';
const registered: { js: string[] }[][] = [];

vi.mock('webextension-polyfill', () => ({
  default: {
    runtime: { getURL: (path: string) => new URL(path, extensionBase).href },
    scripting: { registerContentScripts: async (scripts: { js: string[] }[]) => void registered.push(scripts) },
  },
}));

const { contentScripts, originPattern } = await import('../../src/platform/browser-api');

const inChrome = () => (extensionBase = 'chrome-extension://abcdefghijklmnop/');
const inFirefox = () => (extensionBase = 'moz-extension://0b5e3c1a-7d2f-4e8b-9a6c-1f2e3d4c5b6a/');

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the platform module in Chrome and in Firefox', () => {
  it('names an origin’s port in Chrome; in Firefox, whose match patterns cannot hold one, covers the host', () => {
    inChrome();
    expect(originPattern('http://127.0.0.1:5101')).toBe('http://127.0.0.1:5101/*');
    expect(originPattern('https://crm.example.com')).toBe('https://crm.example.com/*');
    inFirefox();
    expect(originPattern('http://127.0.0.1:5101')).toBe('http://127.0.0.1/*');
    expect(originPattern('http://[::1]:5101')).toBe('http://[::1]/*');
    expect(originPattern('https://crm.example.com')).toBe('https://crm.example.com/*');
  });

  it('registers the content script by its path inside the extension, which Firefox’s manifest gives as a full URL', async () => {
    inFirefox();
    await contentScripts.register('own-box', ['http://127.0.0.1/*'], [`${extensionBase}src/content/index.js`]);
    inChrome();
    await contentScripts.register('own-box', ['http://127.0.0.1:5101/*'], ['src/content/index.js']);
    expect(registered.map(([script]) => script!.js)).toEqual([['src/content/index.js'], ['src/content/index.js']]);
  });

});
