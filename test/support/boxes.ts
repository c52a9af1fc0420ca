// The two sandbox boxes every tier (engine tests, browser tests, the bench) works with: the
// settings that point at them, and API calls made as an outside program would make them.
import type { BoxDialect } from '../../src/onebox/types';
import type { Settings } from '../../src/settings/types';
import type { Sandbox, SandboxDialect } from '../sandbox/index';

/** The client's dialect that speaks each sandbox dialect. */
export const CLIENT_DIALECT: Record<SandboxDialect, BoxDialect> = {
  wrapped: { readShape: 'filter', sort: 'orderby-object', comments: 'comment', commentsWrite: 'comment', employeeFlag: 'employee', changes: 'comments-batch' },
  'top-level': { readShape: 'top-level', sort: 'orderfields', comments: 'order/comments', commentsWrite: 'order/comments', employeeFlag: 'employer', changes: 'comments-batch' },
};

export interface Boxes {
  boxA: Sandbox;
  boxB: Sandbox;
}

export function demoSettings(world: Boxes): Settings {
  return {
    version: 1 as const,
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

/** Where a box takes a new comment, as its dialect names it. */
export const commentSetOf = (box: Sandbox): string => (box.quirks.dialect === 'top-level' ? 'order/comments/set' : 'comment/set');

/** A call to a sandbox box's API as an outside program would make it. */
export async function apiCall(base: string, path: string, body: unknown, token?: string): Promise<unknown> {
  const response = await fetch(`${base}/api/v2/${path}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { token } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { status: number; dataArray: unknown };
  if (json.status !== 1) throw new Error(`${path}: ${JSON.stringify(json)}`);
  return json.dataArray;
}

export async function tokenFor(base: string, login: string, password: string): Promise<string> {
  const answer = await apiCall(base, 'token/get', { login, restapipassword: password });
  return (answer as { token: string }).token;
}

/** A fresh order in box A, so a test starts unlinked. */
export async function newOrderInBoxA(world: Boxes, name: string): Promise<string> {
  const token = await tokenFor(world.boxA.url, 'olena', 'olena-secret');
  const ids = await apiCall(world.boxA.url, 'order/set', [{ name, workflowid: 3, statusid: 8 }], token);
  return String((ids as unknown[])[0]);
}

/** A comment written outside the page, as the box's mobile app would: by Olena in box A, by Ivan in box B. */
export async function writeThroughApi(world: Boxes, box: 'A' | 'B', orderId: string, content: string, clientvisible = 1): Promise<void> {
  const target = box === 'A' ? world.boxA : world.boxB;
  const [login, password] = box === 'A' ? ['olena', 'olena-secret'] : ['ivan', 'ivan-secret'];
  await apiCall(target.url, commentSetOf(target), [{ orderid: Number(orderId), content, clientvisible }], await tokenFor(target.url, login, password));
}
