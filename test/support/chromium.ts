// Finds and launches Debian's Chromium with the built extension loaded. Shared by the browser
// tests, `npm start` and `npm run bench`. Test tools cannot download browsers on our machines.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Worker } from 'playwright-core';

export const DIST = resolve(import.meta.dirname, '../../dist');

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `Chromium not found at ${path}. Install it with "apt-get install -y chromium" ` +
        '(or set CHROMIUM_PATH to a Chromium binary). Browser tests never skip.',
    );
  }
  return path;
}

// Without these, headless Chromium keeps calling home, which a closed network refuses.
const QUIET_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--no-default-browser-check',
];

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  userDataDir: string;
  worker(): Promise<Worker>;
  /** Grants a host permission as the user's click on the prompt would. */
  grantHostPermission(pattern: string): Promise<void>;
  /** Closes the browser and starts it again on the same profile, as a user's restart does. */
  restart(): Promise<ExtensionBrowser>;
  /** Stops the service worker, as Chrome does after 30 s idle, to prove state is not in globals. */
  stopWorker(): Promise<void>;
  /** Reloads the extension as an update does, with its pages left open; resolves once the new worker runs. */
  reloadExtension(): Promise<void>;
  close(): Promise<void>;
}

interface LaunchOptions {
  headless?: boolean;
  /** A profile to use; by default a fresh one, removed on close. */
  userDataDir?: string;
  /** Remove the given profile on close (a restarted browser owns its predecessor's profile). */
  ownsProfile?: boolean;
}

export async function launchWithExtension(options: LaunchOptions = {}): Promise<ExtensionBrowser> {
  if (!existsSync(join(DIST, 'manifest.json'))) throw new Error('dist/ is missing: run "npm run build" first');
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'partner-sync-chromium-'));
  const ownsProfile = options.ownsProfile ?? !options.userDataDir;
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: options.headless ?? true,
    ignoreDefaultArgs: ['--disable-extensions', '--disable-component-extensions-with-background-pages'],
    args: [...QUIET_FLAGS, `--disable-extensions-except=${DIST}`, `--load-extension=${DIST}`],
    viewport: { width: 1200, height: 900 },
  });
  const worker = async (): Promise<Worker> =>
    context.serviceWorkers().filter((w) => w.url().startsWith('chrome-extension://')).at(-1) ??
    (await context.waitForEvent('serviceworker', { timeout: 20_000 }));
  const extensionId = new URL((await worker()).url()).host;

  async function onExtensionsPage<T>(script: (page: import('playwright-core').Page) => Promise<T>): Promise<T> {
    const page = await context.newPage();
    try {
      await page.goto('chrome://extensions');
      return await script(page);
    } finally {
      await page.close();
    }
  }

  return {
    context,
    extensionId,
    userDataDir,
    worker,
    // developerPrivate records the user's consent (no prompt can show headless); the extension's
    // own permissions.request then resolves without a prompt and activates the permission, the
    // same path the options page takes on save.
    grantHostPermission: async (pattern) => {
      await onExtensionsPage((page) =>
        page.evaluate(
          ([id, host]) => (chrome as unknown as ChromeDeveloperPrivate).developerPrivate.addHostPermission(id, host),
          [extensionId, pattern] as const,
        ),
      );
      const page = await context.newPage();
      try {
        await page.goto(`chrome-extension://${extensionId}/src/popup/index.html`);
        const granted = await page.evaluate((origin) => chrome.permissions.request({ origins: [origin] }), pattern);
        if (!granted) throw new Error(`host permission ${pattern} was not granted`);
      } finally {
        await page.close();
      }
    },
    stopWorker: async () => {
      const page = await context.newPage();
      try {
        const cdp = await context.newCDPSession(page);
        const { targetInfos } = await cdp.send('Target.getTargets');
        const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.includes(extensionId));
        if (target) await cdp.send('Target.closeTarget', { targetId: target.targetId });
      } finally {
        await page.close();
      }
    },
    reloadExtension: async () => {
      // As chrome://extensions' reload button does: the extension is unloaded and loaded again,
      // its pages stay open, and the new worker gets `onInstalled` as after an update.
      // Chromium keeps a reloaded unpacked extension disabled unless developer mode is on.
      await onExtensionsPage((page) =>
        page.evaluate(async (id) => {
          const { developerPrivate } = chrome as unknown as ChromeDeveloperPrivate;
          await developerPrivate.updateProfileConfiguration({ inDeveloperMode: true });
          await developerPrivate.reload(id, { failQuietly: false });
        }, extensionId),
      );
      const problems: string[] = [];
      for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
        const page = await context.newPage();
        const answered = await page.goto(`chrome-extension://${extensionId}/src/popup/index.html`)
          .then(() => page.evaluate(() => chrome.runtime.sendMessage({ type: 'popup/overview', payload: {} }).then((r: { ok?: boolean }) => r?.ok === true)))
          .catch((error: unknown) => void problems.push(String(error).slice(0, 120)));
        await page.close();
        if (answered) return;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const state = await onExtensionsPage((page) => page.evaluate((id) => new Promise<string>((resolve) =>
        (chrome as unknown as { developerPrivate: { getExtensionInfo(id: string, done: (info: unknown) => void): void } }).developerPrivate.getExtensionInfo(id, (info) => resolve(JSON.stringify(info).slice(0, 1500)))), extensionId)).catch(String);
      throw new Error(`the extension did not come back after its reload: ${problems.slice(-2).join('; ')} ${state}`);
    },
    restart: async () => {
      await context.close();
      return launchWithExtension({ ...options, userDataDir, ownsProfile });
    },
    close: async () => {
      await context.close();
      if (ownsProfile) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

interface ChromeDeveloperPrivate {
  developerPrivate: {
    addHostPermission(extensionId: string, host: string): Promise<void>;
    reload(extensionId: string, options: { failQuietly: boolean }): Promise<void>;
    updateProfileConfiguration(update: { inDeveloperMode: boolean }): Promise<void>;
  };
}
