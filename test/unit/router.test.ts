// The worker's front door: every message is checked for its shape and its sender before any
// handler runs (design.md, guarantee 6).
import { describe, expect, it, vi } from 'vitest';

vi.mock('../../src/platform/browser-api', () => ({
  extensionId: () => 'our-extension',
  extensionOrigin: () => 'chrome-extension://our-extension',
}));

const { createRouter } = await import('../../src/background/router');
type Handlers = Parameters<typeof createRouter>[0];

const calls: string[] = [];
const handlers = new Proxy({} as Handlers, {
  get: (_target, type: string) => async (payload: unknown) => {
    calls.push(`${type} ${JSON.stringify(payload)}`);
    return 'handled';
  },
});
const route = createRouter(handlers, async (key) => `text of ${key}`);

const contentScript = { id: 'our-extension', url: 'https://a.1b.app/101/', tab: { id: 1 } } as never;
const optionsPage = { id: 'our-extension', url: 'chrome-extension://our-extension/src/options/index.html' } as never;
const otherExtension = { id: 'someone-else', url: 'https://a.1b.app/101/', tab: { id: 1 } } as never;

describe('router', () => {
  it('passes a valid message from the right sender to its handler', async () => {
    expect(await route({ type: 'order/send', payload: { partnerId: 'buyer-b' } }, contentScript)).toEqual({ ok: true, value: 'handled' });
    expect(calls.at(-1)).toBe('order/send {"partnerId":"buyer-b"}');
  });

  it('refuses unknown types, malformed payloads and extra fields, in words', async () => {
    const before = calls.length;
    for (const message of [
      { type: 'order/delete-everything', payload: {} },
      { type: 'order/send', payload: { partnerId: 42 } },
      { type: 'order/send', payload: { partnerId: 'b', token: 'x' } },
      { type: 'comment/choice', payload: { commentId: '1 OR 1=1', share: false } },
      { type: 'comment/choice', payload: { commentId: '7', share: 'no' } },
      { type: 'comment/choice', payload: { commentId: '7', authorId: '<img>', share: false } },
      { type: 'composer/choice', payload: { share: true, viewerId: 'me' } },
      { type: 'comment/post', payload: { text: 'x'.repeat(100_001), share: true, clientVisible: false } },
      { type: 'comment/post', payload: { text: 'x', share: true } },
      'not even an object',
    ]) {
      const reply = await route(message, contentScript);
      expect(reply).toMatchObject({ ok: false, error: { messageKey: 'error_bad_message', text: 'text of error_bad_message' } });
    }
    expect(calls.length).toBe(before);
  });

  it('keeps extension-page messages from content scripts, and everything from other extensions', async () => {
    const before = calls.length;
    const probe = { type: 'settings/test-connection', payload: { box: { url: 'https://b.1b.app', login: 'x', restApiPassword: 'y' }, plan: {} } };
    expect(await route(probe, contentScript)).toMatchObject({ ok: false, error: { messageKey: 'error_bad_sender' } });
    expect(await route({ type: 'order/state', payload: {} }, otherExtension)).toMatchObject({ ok: false, error: { messageKey: 'error_bad_sender' } });
    expect(calls.length).toBe(before);
    expect(await route(probe, optionsPage)).toMatchObject({ ok: true });
  });

  it('turns a handler’s failure into a reply with its message key, never a crash', async () => {
    const failing = createRouter(new Proxy({} as Handlers, {
      get: () => async () => {
        throw Object.assign(new Error('Unknown status 999'), { messageKey: 'error_unknown_status' });
      },
    }), async (key) => `text of ${key}`);
    expect(await failing({ type: 'order/state', payload: {} }, contentScript)).toEqual({
      ok: false,
      error: { messageKey: 'error_unknown_status', text: 'text of error_unknown_status', detail: 'Unknown status 999' },
    });
  });
});
