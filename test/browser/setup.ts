// What every browser test starts from: Chromium with the built extension, two sandbox boxes on
// free loopback ports, and host permission for loopback granted as the user would on save.
import { startSandbox, type Sandbox } from '../sandbox/index';
import { launchWithExtension, type ExtensionBrowser } from '../support/chromium';

export interface World {
  browser: ExtensionBrowser;
  boxA: Sandbox;
  boxB: Sandbox;
  close(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const [boxA, boxB] = await Promise.all([startSandbox({ name: 'Supplier A' }), startSandbox({ name: 'Buyer B' })]);
  const browser = await launchWithExtension();
  await browser.grantHostPermission('http://127.0.0.1/*');
  return {
    browser,
    boxA,
    boxB,
    close: async () => {
      await browser.close();
      await Promise.all([boxA.close(), boxB.close()]);
    },
  };
}

/** Writes settings straight into the extension's storage, as a saved options page would. */
export async function writeSettings(world: World, settings: unknown): Promise<void> {
  const worker = await world.browser.worker();
  await worker.evaluate((value) => chrome.storage.local.set({ settings: value }), settings);
}

export function demoSettings(world: World) {
  return {
    version: 1,
    ownBox: { url: world.boxA.url, login: 'olena', restApiPassword: 'olena-secret' },
    partners: [
      {
        id: 'buyer-b',
        name: 'Buyer B',
        boxUrl: world.boxB.url,
        login: 'partner-sync',
        restApiPassword: 'sync-secret',
        assigneeEmail: `ivan@${world.boxB.slug}.example`,
        workflowId: 12,
        syncOnlyClientVisibleComments: true,
        syncClient: false,
      },
    ],
    preferences: { shareByDefault: true, holdSeconds: 2, language: 'auto' },
  };
}
