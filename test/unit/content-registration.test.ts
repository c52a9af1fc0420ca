// The own box gets the content script exactly once: from the manifest on OneBox's domains, from
// a run-time registration on any other origin.
import { beforeEach, describe, expect, it, vi } from 'vitest';

interface Registered { id: string; matches: string[]; js: string[] }
let registered: Registered[] = [];
let granted: string[] = [];

vi.mock('../../src/platform/browser-api', () => ({
  manifest: () => ({ content_scripts: [{ matches: ['https://*.1b.app/*', 'https://*.crm-onebox.com/*'], js: ['src/content/index.js'] }] }),
  originPattern: (origin: string) => `${origin}/*`,
  hostPermissions: { contains: async (origins: string[]) => origins.every((o) => granted.includes(o)) },
  contentScripts: {
    registered: async () => registered,
    register: async (id: string, matches: string[], js: string[]) => void registered.push({ id, matches, js }),
    unregister: async (ids: string[]) => void (registered = registered.filter((s) => !ids.includes(s.id))),
  },
}));

const { syncOwnBoxRegistration } = await import('../../src/background/content-registration');

beforeEach(() => {
  registered = [];
  granted = ['https://crm.example.com/*', 'http://127.0.0.1:5101/*'];
});

describe('own box content script registration', () => {
  it('adds nothing for a box the manifest already covers', async () => {
    await syncOwnBoxRegistration('https://supplier-a.1b.app');
    await syncOwnBoxRegistration('https://x.crm-onebox.com');
    expect(registered).toEqual([]);
  });

  it('registers the built script on a custom domain, and moves it when the box changes', async () => {
    await syncOwnBoxRegistration('https://crm.example.com');
    expect(registered).toEqual([{ id: 'own-box', matches: ['https://crm.example.com/*'], js: ['src/content/index.js'] }]);
    await syncOwnBoxRegistration('http://127.0.0.1:5101');
    expect(registered.map((s) => s.matches)).toEqual([['http://127.0.0.1:5101/*']]);
    await syncOwnBoxRegistration('https://supplier-a.1b.app');
    expect(registered).toEqual([]);
  });

  it('waits for the host permission before registering', async () => {
    await syncOwnBoxRegistration('https://not-granted.example.com');
    expect(registered).toEqual([]);
  });
});
