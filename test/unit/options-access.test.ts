// Host access from the options page: the request is made while the user's click is handled,
// before anything is awaited (Firefox refuses it afterwards), and what stays missing is reported.
import { beforeEach, describe, expect, it, vi } from 'vitest';

let granted: string[] = [];
let requests: string[][] = [];
let refuse = false;

vi.mock('../../src/platform/browser-api', () => ({
  originPattern: (origin: string) => `${origin}/*`,
  hostPermissions: {
    contains: async (patterns: string[]) => patterns.every((pattern) => granted.includes(pattern)),
    request: async (patterns: string[]) => {
      requests.push(patterns);
      if (refuse) throw new Error('permissions.request may only be called from a user input handler');
      granted.push(...patterns);
      return true;
    },
  },
}));

const { requestAccess } = await import('../../src/options/access');

beforeEach(() => {
  granted = ['https://a.1b.app/*'];
  requests = [];
  refuse = false;
});

describe('requestAccess', () => {
  it('asks at once, before it awaits anything, for every box; the browser prompts only for what is new', async () => {
    const pending = requestAccess(['https://a.1b.app', 'http://127.0.0.1:5101']);
    expect(requests).toEqual([['https://a.1b.app/*', 'http://127.0.0.1:5101/*']]);
    expect(await pending).toEqual([]);
  });

  it('reports the boxes still out of reach when the browser refuses', async () => {
    refuse = true;
    expect(await requestAccess(['https://a.1b.app', 'https://b.1b.app'])).toEqual(['https://b.1b.app']);
  });

  it('asks nothing when there is no box', async () => {
    expect(await requestAccess([])).toEqual([]);
    expect(requests).toEqual([]);
  });
});
