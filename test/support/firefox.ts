// Finds and launches Debian's Firefox ESR with the Firefox build (dist-firefox/) installed as a
// temporary add-on, driven by Puppeteer over WebDriver BiDi. Used by the Firefox browser test.
// Test tools cannot download browsers on our machines.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { GECKO_ID } from '../../scripts/firefox-manifest';
import type { OrderPage } from './order-page';

export const DIST_FIREFOX = resolve(import.meta.dirname, '../../dist-firefox');

export function firefoxPath(): string {
  const path = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
  if (!existsSync(path)) {
    throw new Error(
      `Firefox not found at ${path}. Install it with "apt-get update && apt-get install -y firefox-esr" ` +
        '(or set FIREFOX_PATH to a Firefox binary, 128 or newer). Browser tests never skip.',
    );
  }
  return path;
}

// Firefox calls home in many ways; on a closed network each one is a stalled connection, and
// none has any business in a test. Puppeteer's own profile defaults add more of the same.
const QUIET_PREFS: Record<string, unknown> = {
  // Telemetry, health reports, usage pings.
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.archive.enabled': false,
  'toolkit.telemetry.server': 'data:,',
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.usage.uploadEnabled': false,
  // Updates of the browser, its search engines, add-ons and system add-ons, media plugins.
  'app.update.disabledForTesting': true,
  'app.update.auto': false,
  'browser.search.update': false,
  'extensions.update.enabled': false,
  'extensions.systemAddon.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'media.gmp-manager.updateEnabled': false,
  // Captive portal and connectivity checks, DNS over HTTPS, certificate status checks.
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.trr.mode': 5,
  'security.OCSP.enabled': 0,
  // Safe browsing lists.
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.downloads.remote.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.safebrowsing.provider.google4.updateURL': '',
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  // Remote settings (blocklists, certificate lists), studies, push, region and location.
  'services.settings.server': 'data:,#remote-settings-dummy/v1',
  'extensions.blocklist.enabled': false,
  'security.remote_settings.crlite_filters.enabled': false,
  'security.remote_settings.intermediates.enabled': false,
  'app.normandy.enabled': false,
  'app.normandy.api_url': '',
  'app.shield.optoutstudies.enabled': false,
  'dom.push.connection.enabled': false,
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'geo.provider.network.url': '',
  // New tab content, suggestions, speculative connections and prefetching.
  'browser.newtabpage.enabled': false,
  'browser.newtabpage.activity-stream.feeds.section.topstories': false,
  'browser.newtabpage.activity-stream.feeds.system.topstories': false,
  'browser.topsites.contile.enabled': false,
  'browser.urlbar.suggest.searches': false,
  'browser.urlbar.speculativeConnect.enabled': false,
  'network.http.speculative-parallel-limit': 0,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'browser.ml.enable': false,
  'browser.translations.enable': false,
  'identity.fxaccounts.enabled': false,
};

export interface FirefoxWithExtension {
  browser: Browser;
  /** Opens one of the extension's pages (`src/options/index.html`) in a new tab; resolves once `ready` matches on it. */
  openExtensionPage(path: string, ready: string): Promise<Page>;
  close(): Promise<void>;
}

export async function launchFirefoxWithExtension(): Promise<FirefoxWithExtension> {
  if (!existsSync(join(DIST_FIREFOX, 'manifest.json'))) throw new Error('dist-firefox/ is missing: run "npm run build" first');
  const executablePath = firefoxPath();
  const profile = mkdtempSync(join(tmpdir(), 'partner-sync-firefox-'));
  // Firefox gives an add-on a random moz-extension:// host at install; named beforehand, the
  // extension's pages have a known address.
  const uuid = randomUUID();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath,
    headless: true,
    userDataDir: profile,
    // Release builds ignore the remote settings server pref unless they run as under test; this
    // also makes Firefox refuse any connection beyond this machine.
    env: { ...process.env, MOZ_DISABLE_NONLOCAL_CONNECTIONS: '1' },
    // Without it, WebDriver BiDi navigates only to web pages (http, https, file, blob), and the
    // extension's own pages are moz-extension:// ones.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      ...QUIET_PREFS,
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: uuid }),
      // A host permission the extension requests during a real click is granted at once, as if
      // the user had allowed it on the prompt (which a headless browser cannot show).
      'extensions.webextOptionalPermissionPrompts': false,
    },
  });
  const close = async () => {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    // BiDi's webExtension.install: a temporary add-on, as about:debugging's "Load Temporary Add-on".
    await browser.installExtension(DIST_FIREFOX);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    browser,
    openExtensionPage: async (path, ready) => {
      const page = await browser.newPage();
      // BiDi reports no load of an extension's document (it leaves extension contexts out, Firefox
      // bug 1755014), so the navigation is over once `ready` is there; a real failure still throws.
      const navigation = new AbortController();
      const navigated = page.goto(`moz-extension://${uuid}/${path}`, { signal: navigation.signal })
        .then(() => undefined, (error: unknown) => (navigation.signal.aborted ? undefined : Promise.reject(error)));
      await Promise.all([page.waitForSelector(ready).finally(() => navigation.abort()), navigated]);
      return page;
    },
    close,
  };
}

/**
 * A Puppeteer page as the shared page helpers (test/support/order-page.ts) use one. Puppeteer's
 * CSS selectors stop at shadow roots; its `pierce/` ones go through open ones, as Playwright's do.
 * It notices a new element by watching the document, which does not see into shadow roots; told
 * to wait for a visible one (what Playwright waits for too), it looks on every frame instead.
 */
export function piercing(page: Page): OrderPage {
  const deep = (selector: string) => `pierce/${selector}`;
  const visible = (selector: string, options?: { timeout?: number }) => page.waitForSelector(deep(selector), { ...options, visible: true });
  return {
    goto: (url) => page.goto(url),
    waitForSelector: visible,
    $eval: (selector, read) => page.$eval(deep(selector), read),
    locator: (selector) => ({
      click: async () => {
        await visible(selector);
        await page.locator(deep(selector)).click();
      },
      fill: async (value) => {
        await visible(selector);
        await page.locator(deep(selector)).fill(value);
      },
    }),
  };
}
