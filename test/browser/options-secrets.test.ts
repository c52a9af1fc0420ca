// Passwords and tokens stay in the worker and the extension's pages (design.md, guarantee 6):
// after settings are saved and the extension has talked to both boxes, neither a script of the
// box page nor the extension's own content script can read a password or a token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import { addPartner, demoOwnBox, demoPartner, fillOwnBox, openOptions, save } from '../support/options-page';
import { startWorld, type World } from './setup';

let world: World;
let order: Page;
let secrets: string[];

/** Runs an expression in the content script's isolated world of the page. */
async function inContentScript(cdp: CDPSession, contextId: number, expression: string): Promise<unknown> {
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { expression, contextId, awaitPromise: true, returnByValue: true });
  if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
  return result.value;
}

const containsSecret = (text: string): string[] => secrets.filter((secret) => text.includes(secret));

beforeAll(async () => {
  world = await startWorld();
  const options = await openOptions(world.browser);
  await fillOwnBox(options, demoOwnBox(world.boxA));
  await addPartner(options, demoPartner(world.boxB));
  if ((await save(options)) !== 'saved') throw new Error('the settings were not saved');

  // Send an order, so that the worker holds tokens of both boxes.
  order = await world.browser.context.newPage();
  order.on('dialog', (dialog) => void dialog.accept());
  // The script registration follows the save; each load gives it a moment to show.
  for (let attempt = 0; attempt < 10; attempt++) {
    await order.goto(`${world.boxA.url}/101/`);
    if (await order.locator('[data-partner-sync=send]').waitFor({ timeout: 2_000 }).then(() => true, () => false)) break;
  }
  await order.locator('[data-partner-sync=send]').click();
  await order.locator('[data-partner-sync=confirm-send]').click();
  await order.locator('[data-partner-sync=link][data-state=linked]').waitFor({ timeout: 15_000 });

  const worker = await world.browser.worker();
  const session = await worker.evaluate(() => chrome.storage.session.get(null));
  const tokens = Object.values(session).flatMap((value) => {
    try {
      const token = (JSON.parse(String(value)) as { token?: unknown }).token;
      return typeof token === 'string' ? [token] : [];
    } catch {
      return [];
    }
  });
  secrets = ['olena-secret', 'sync-secret', ...tokens];
});
afterAll(async () => {
  await world?.close();
});

describe('secrets on the box page', () => {
  it('exist: the worker holds a token for each box', () => {
    expect(secrets.length).toBeGreaterThanOrEqual(4);
  });

  it('are not in the page a box script sees: DOM (open shadow roots included), storage, cookies', async () => {
    const seen = await order.evaluate(() => {
      const parts: string[] = [document.cookie, JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })];
      const walk = (root: Document | ShadowRoot) => {
        for (const element of root.querySelectorAll('*')) {
          parts.push(element.outerHTML);
          if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) parts.push(element.value);
          if (element.shadowRoot) walk(element.shadowRoot);
        }
      };
      walk(document);
      return parts.join('\n');
    });
    expect(seen).toContain('data-partner-sync');
    expect(containsSecret(seen)).toEqual([]);
  });

  it('cannot be asked for by a box script: the extension is not reachable from the page', async () => {
    expect(await order.evaluate(() => typeof (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime?.sendMessage)).toBe('undefined');
  });

  describe('in the content script', () => {
    let cdp: CDPSession;
    let contextId: number;
    beforeAll(async () => {
      cdp = await world.browser.context.newCDPSession(order);
      const contexts: { id: number; origin: string; auxData?: { type?: string } }[] = [];
      cdp.on('Runtime.executionContextCreated', ({ context }) => contexts.push(context));
      await cdp.send('Runtime.enable');
      const isolated = contexts.find((context) => context.auxData?.type === 'isolated' && context.origin.startsWith('chrome-extension://'));
      if (!isolated) throw new Error('the content script world was not found');
      contextId = isolated.id;
    });

    it('cannot read the extension storage where the settings and tokens are', async () => {
      for (const area of ['local', 'session']) {
        const answer = await inContentScript(cdp, contextId, `chrome.storage.${area}.get(null).then((v) => 'read ' + JSON.stringify(v), (e) => 'refused: ' + e.message)`);
        expect(answer).toMatch(/^refused: /);
      }
    });

    it('gets no secret in any answer of the worker, and may not run a connection test', async () => {
      const ask = (type: string, payload: unknown) => inContentScript(cdp, contextId, `chrome.runtime.sendMessage(${JSON.stringify({ type, payload })})`);
      for (const type of ['page/hello', 'order/state']) {
        const reply = (await ask(type, {})) as { ok: boolean };
        expect(reply.ok).toBe(true);
        expect(containsSecret(JSON.stringify(reply))).toEqual([]);
      }
      const probe = (await ask('settings/test-connection', { box: { url: world.boxB.url, login: 'partner-sync', restApiPassword: 'guess' }, plan: {} })) as { ok: boolean; error?: { messageKey: string } };
      expect(probe).toMatchObject({ ok: false, error: { messageKey: 'error_bad_sender' } });
    });
  });
});
