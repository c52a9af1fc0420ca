// The worker's front door: every message is checked for its shape and its sender before any
// handler runs (design.md, guarantee 6).
import { describe, expect, it, vi } from 'vitest';

vi.mock('../../src/platform/browser-api', () => ({
  extensionId: () => 'our-extension',
  extensionOrigin: () => 'chrome-extension://our-extension',
}));

const { createRouter } = await import('../../src/background/router');
const { KeyedError } = await import('../../src/errors/keyed-error');
const { OneBoxError } = await import('../../src/onebox/errors');
type Handlers = Parameters<typeof createRouter>[0];

const calls: string[] = [];
const handlers = new Proxy({} as Handlers, {
  get: (_target, type: string) => async (payload: unknown) => {
    calls.push(`${type} ${JSON.stringify(payload)}`);
    return 'handled';
  },
});
const route = createRouter(handlers);

const contentScript = { id: 'our-extension', url: 'https://a.1b.app/101/', origin: 'https://a.1b.app', tab: { id: 1 }, frameId: 0 } as never;
const optionsPage = { id: 'our-extension', url: 'chrome-extension://our-extension/src/options/index.html' } as never;
const otherExtension = { id: 'someone-else', url: 'https://a.1b.app/101/', tab: { id: 1 } } as never;

describe('router', () => {
  it('passes a valid message from the right sender to its handler', async () => {
    expect(await route({ type: 'order/send', payload: { partnerId: 'buyer-b' } }, contentScript)).toEqual({ ok: true, value: 'handled' });
    expect(calls.at(-1)).toBe('order/send {"partnerId":"buyer-b"}');
    expect(await route({ type: 'comment/retry', payload: { commentId: '7' } }, contentScript)).toEqual({ ok: true, value: 'handled' });
    expect(calls.at(-1)).toBe('comment/retry {"commentId":"7"}');
    expect(await route({ type: 'page/problems', payload: { missing: ['commentList', 'composer'] } }, contentScript)).toEqual({ ok: true, value: 'handled' });
    expect(calls.at(-1)).toBe('page/problems {"missing":["commentList","composer"]}');
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
      { type: 'comment/retry', payload: {} },
      { type: 'comment/retry', payload: { commentId: 'all' } },
      { type: 'composer/choice', payload: { share: true, viewerId: 'me' } },
      { type: 'comment/post', payload: { text: 'x'.repeat(100_001), share: true, clientVisible: false } },
      { type: 'comment/post', payload: { text: 'x', share: true } },
      { type: 'page/problems', payload: { missing: ['token'] } },
      { type: 'page/problems', payload: { missing: 'commentList' } },
      { type: 'page/problems', payload: { missing: Array(4).fill('composer') } },
      'not even an object',
    ]) {
      const reply = await route(message, contentScript);
      expect(reply).toMatchObject({ ok: false, error: { kind: 'protocol', messageKey: 'error_bad_message' } });
    }
    expect(calls.length).toBe(before);
  });

  it('keeps extension-page messages from content scripts, and everything from other extensions', async () => {
    const before = calls.length;
    const probe = { type: 'settings/test-connection', payload: { box: { url: 'https://b.1b.app', login: 'x', restApiPassword: 'y' }, plan: {} } };
    expect(await route(probe, contentScript)).toEqual({ ok: false, error: { kind: 'auth', messageKey: 'error_bad_sender' } });
    expect(await route({ type: 'order/state', payload: {} }, otherExtension)).toEqual({ ok: false, error: { kind: 'auth', messageKey: 'error_bad_sender' } });
    expect(calls.length).toBe(before);
    expect(await route(probe, optionsPage)).toMatchObject({ ok: true });
  });

  it('takes page messages only from the top frame, by origin, not by a prefix of the address', async () => {
    const before = calls.length;
    const state = { type: 'order/state', payload: {} };
    const senders = [
      { id: 'our-extension', url: 'https://a.1b.app/101/', origin: 'https://a.1b.app', tab: { id: 1 }, frameId: 3 },
      { id: 'our-extension', url: 'https://a.1b.app/101/', origin: 'https://evil.example', tab: { id: 1 }, frameId: 0 },
      { id: 'our-extension', url: 'https://a.1b.app/101/', origin: 'null', tab: { id: 1 }, frameId: 0 },
      { id: 'our-extension', url: 'about:blank', tab: { id: 1 }, frameId: 0 },
      { id: 'our-extension', url: 'chrome-extension://our-extension.evil.example/x.html' },
      { id: 'our-extension', url: 'chrome-extension://our-extension@evil.example/x.html' },
      { id: 'our-extension', url: 'not a url', tab: { id: 1 }, frameId: 0 },
    ];
    for (const sender of senders) {
      expect(await route(state, sender as never), JSON.stringify(sender)).toEqual({ ok: false, error: { kind: 'auth', messageKey: 'error_bad_sender' } });
    }
    expect(calls.length).toBe(before);
    // Firefox gives no `origin`: the address's own origin and the top frame are enough there.
    expect(await route(state, { id: 'our-extension', url: 'https://a.1b.app/101/', tab: { id: 1 }, frameId: 0 } as never)).toMatchObject({ ok: true });
  });

  it('says what was wrong with a payload', async () => {
    const reply = await route({ type: 'order/send', payload: { partnerId: 42 } }, contentScript);
    expect(reply).toMatchObject({ ok: false, error: { detail: expect.stringContaining('partnerId') } });
  });

  const failingWith = (thrown: unknown) =>
    createRouter(new Proxy({} as Handlers, {
      get: () => async () => {
        throw thrown;
      },
    }))({ type: 'order/state', payload: {} }, contentScript);

  it('answers a handler’s keyed error with its data, never a crash', async () => {
    expect(await failingWith(new KeyedError({ kind: 'config', messageKey: 'error_unknown_status', detail: '999' }))).toEqual({
      ok: false,
      error: { kind: 'config', messageKey: 'error_unknown_status', detail: '999' },
    });
  });

  it('answers a box error in the same shape: no endpoint, HTTP status or log message travels', async () => {
    const boxError = new OneBoxError({ kind: 'transient', messageKey: 'error_rate_limited', endpoint: 'order/set', httpStatus: 429, detail: 'Slow down', retryAfterMs: 7_000 });
    expect(await failingWith(boxError)).toEqual({
      ok: false,
      error: { kind: 'transient', messageKey: 'error_rate_limited', detail: 'Slow down', retryAfterMs: 7_000 },
    });
  });

  it('answers anything else as internal, even an error that carries a message key of its own', async () => {
    const lookalike = Object.assign(new Error('Unknown status 999'), { kind: 'config', messageKey: 'error_unknown_status' });
    expect(await failingWith(lookalike)).toEqual({ ok: false, error: { kind: 'internal', messageKey: 'error_internal', detail: 'Unknown status 999' } });
    expect(await failingWith('a string')).toEqual({ ok: false, error: { kind: 'internal', messageKey: 'error_internal', detail: 'a string' } });
  });
});
