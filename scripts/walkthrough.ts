// The demo walkthrough shared by `npm start` (with a window) and `npm start -- --headless`
// (screenshots). Each step shows one thing a manager does.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Sandbox } from '../test/sandbox/index';
import type { ExtensionBrowser } from '../test/support/chromium';

export interface WalkthroughContext {
  browser: ExtensionBrowser;
  boxA: Sandbox;
  boxB: Sandbox;
  /** Folder for screenshots, or null when a person is watching the window. */
  screenshots: string | null;
}

export async function runWalkthrough({ browser, boxA, boxB, screenshots }: WalkthroughContext): Promise<Page> {
  let step = 0;
  const shot = async (page: Page, name: string) => {
    if (!screenshots) return;
    step += 1;
    const file = join(screenshots, `${String(step).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`  screenshot: ${file}`);
  };

  // The user's grant of the loopback boxes, which the options page asks for on save.
  await browser.grantHostPermission('http://127.0.0.1/*');
  const worker = await browser.worker();
  await worker.evaluate(
    (settings) => chrome.storage.local.set({ settings }),
    {
      version: 1,
      ownBox: { url: boxA.url, login: 'olena', restApiPassword: 'olena-secret' },
      partners: [
        {
          id: 'buyer-b', name: 'Buyer B', boxUrl: boxB.url, login: 'partner-sync', restApiPassword: 'sync-secret',
          assigneeEmail: `ivan@${boxB.slug}.example`, workflowId: 12, syncOnlyClientVisibleComments: true, syncClient: false,
        },
      ],
      preferences: { shareByDefault: true, holdSeconds: 10, language: 'auto' },
    },
  );

  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/src/options/index.html`);
  await shot(page, 'options');

  // The content script is registered on box A after the settings change; reload until it shows.
  for (let attempt = 0; attempt < 20; attempt++) {
    await page.goto(`${boxA.url}/101/`);
    if (await page.locator('[data-partner-sync=send]').count()) break;
    await page.waitForTimeout(300);
  }
  await shot(page, 'order-page-box-a');
  return page;
}
