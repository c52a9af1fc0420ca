// Secrets stay out of content scripts (design.md, guarantee 6): the worker closes both storage
// areas that hold them, and a browser that refuses is reported, never ignored.
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('webextension-polyfill', () => ({ default: {} }));
const { restrictStorageToTrustedContexts } = await import('../../src/platform/browser-api');

type Area = { setAccessLevel?: (options: { accessLevel: string }) => Promise<void> };
const withStorage = (local: Area, session: Area) => vi.stubGlobal('chrome', { storage: { local, session } });
afterEach(() => vi.unstubAllGlobals());

describe('closing storage to content scripts', () => {
  it('closes local and session storage to trusted contexts', async () => {
    const calls: string[] = [];
    const area = (name: string): Area => ({ setAccessLevel: async ({ accessLevel }) => void calls.push(`${name} ${accessLevel}`) });
    withStorage(area('local'), area('session'));
    await restrictStorageToTrustedContexts();
    expect(calls.sort()).toEqual(['local TRUSTED_CONTEXTS', 'session TRUSTED_CONTEXTS']);
  });

  it('passes a refusal on to be reported', async () => {
    withStorage({ setAccessLevel: () => Promise.reject(new Error('Access level not supported')) }, { setAccessLevel: async () => undefined });
    await expect(restrictStorageToTrustedContexts()).rejects.toThrow('Access level not supported');
  });

  it('leaves a browser without the switch for local storage (Firefox) as it is', async () => {
    const session = vi.fn(async () => undefined);
    withStorage({}, { setAccessLevel: session });
    await expect(restrictStorageToTrustedContexts()).resolves.toBeUndefined();
    expect(session).not.toHaveBeenCalled();
  });
});
