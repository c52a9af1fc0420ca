// The one error model: a keyed error keeps its kind, key, detail and Retry-After from the
// OneBox client through the outbox and a reply to the page, and nothing that only looks like
// one (a plain error with a `messageKey` of its own) is taken for one.
import { describe, expect, it, vi } from 'vitest';

const sendMessage = vi.fn();
let contextAlive = true;
vi.mock('../../src/platform/runtime', () => ({
  sendMessage: (message: unknown) => sendMessage(message),
  extensionContextAlive: () => contextAlive,
}));

const { KeyedError, keyedErrorData } = await import('../../src/errors/keyed-error');
const { OneBoxError } = await import('../../src/onebox/errors');
const { toItemError } = await import('../../src/sync/outbox');
const { request } = await import('../../src/messages/send');

const rateLimited = () =>
  new OneBoxError({ kind: 'transient', messageKey: 'error_rate_limited', endpoint: 'order/set', httpStatus: 429, detail: 'Slow down', retryAfterMs: 7_000 });

describe('keyed errors', () => {
  it('survive the trip through storage or a message: data, JSON, data, the same error', () => {
    const original = rateLimited();
    const travelled = JSON.parse(JSON.stringify(original.toData())) as ReturnType<typeof original.toData>;
    const rebuilt = new KeyedError(travelled);
    expect(rebuilt.toData()).toEqual(original.toData());
    expect(travelled).toEqual({ kind: 'transient', messageKey: 'error_rate_limited', detail: 'Slow down', retryAfterMs: 7_000 });
  });

  it('keep only what they know: no empty detail, no undefined fields', () => {
    expect(new KeyedError({ kind: 'config', messageKey: 'error_not_linked', detail: '' }).toData()).toEqual({ kind: 'config', messageKey: 'error_not_linked' });
    expect(Object.keys(new KeyedError({ kind: 'auth', messageKey: 'error_auth' }))).not.toContain('detail');
  });

  it('a box error is one of them, and its endpoint and HTTP status stay in the log message', () => {
    const error = rateLimited();
    expect(error).toBeInstanceOf(KeyedError);
    expect(error.message).toBe('transient error on order/set [error_rate_limited]: HTTP 429: Slow down');
    expect(keyedErrorData(error)).toEqual({ kind: 'transient', messageKey: 'error_rate_limited', detail: 'Slow down', retryAfterMs: 7_000 });
  });

  it('anything else is internal, however much it looks like a keyed error', () => {
    const lookalike = Object.assign(new Error('Unknown status 999'), { kind: 'config', messageKey: 'error_unknown_status', retryAfterMs: 5 });
    expect(keyedErrorData(lookalike)).toEqual({ kind: 'internal', messageKey: 'error_internal', detail: 'Unknown status 999' });
    expect(keyedErrorData({ kind: 'auth', messageKey: 'error_auth' })).toEqual({ kind: 'internal', messageKey: 'error_internal', detail: '[object Object]' });
    expect(keyedErrorData(undefined)).toEqual({ kind: 'internal', messageKey: 'error_internal', detail: 'undefined' });
  });

  it('are stored on a job or link in the shape earlier versions wrote, with the time', () => {
    expect(toItemError(rateLimited(), 42)).toEqual({ kind: 'transient', messageKey: 'error_rate_limited', detail: 'Slow down', retryAfterMs: 7_000, at: 42 });
    expect(toItemError(new KeyedError({ kind: 'config', messageKey: 'error_no_own_box' }), 1)).toEqual({ kind: 'config', messageKey: 'error_no_own_box', at: 1 });
    expect(toItemError(new TypeError('x is undefined'), 2)).toEqual({ kind: 'internal', messageKey: 'error_internal', detail: 'x is undefined', at: 2 });
  });
});

describe('a failed request, as the asking context reads it', () => {
  it('is the keyed error the worker answered with', async () => {
    sendMessage.mockResolvedValueOnce({ ok: false, error: { kind: 'config', messageKey: 'error_not_linked', detail: 'buyer-b' } });
    const error = await request('order/retry', { partnerId: 'buyer-b' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyedError);
    expect((error as InstanceType<typeof KeyedError>).toData()).toEqual({ kind: 'config', messageKey: 'error_not_linked', detail: 'buyer-b' });
  });

  it('says why it did not get through: no worker, or a worker updated under the page', async () => {
    sendMessage.mockRejectedValueOnce(new Error('Could not establish connection'));
    expect(keyedErrorData(await request('order/state', {}).catch((e: unknown) => e)))
      .toEqual({ kind: 'transient', messageKey: 'page_no_background', detail: 'Could not establish connection' });
    sendMessage.mockResolvedValueOnce(undefined);
    expect(keyedErrorData(await request('order/state', {}).catch((e: unknown) => e))).toEqual({ kind: 'transient', messageKey: 'page_no_background' });
    contextAlive = false;
    sendMessage.mockRejectedValueOnce(new Error('Extension context invalidated.'));
    expect(keyedErrorData(await request('order/state', {}).catch((e: unknown) => e))).toMatchObject({ messageKey: 'page_extension_updated' });
    contextAlive = true;
  });
});
