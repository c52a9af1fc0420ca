// `POST /api/v2/<entity>/<action>/`: the box's REST API.
//
// Order of work for one call, as a box behind a proxy would do it:
//   latency -> armed failure (HTML error page) -> armed garbage answer -> unknown method
//   -> token check -> JSON body -> handler -> answer (or, for a write, commit-then-drop).
// A failure or garbage answer never reaches the handler, so nothing is stored.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { commentGet, commentSet, contactGet, contactSet, statusGet, workflowGet } from './api-misc.ts';
import { orderGet, orderSet } from './api-orders.ts';
import type { FaultSwitch } from './faults.ts';
import { errorPage, loginPage } from './html.ts';
import { BodyTooLarge, isRecord, readBody, sendHtml, sendJson, sendText, sleep } from './http.ts';
import { ApiError, takeRecords, type ErrorArray } from './input.ts';
import type { Store } from './state.ts';
import type { ApiCall, GarbageKind, Quirks, SandboxDialect } from './types.ts';

export interface ApiContext {
  store: Store;
  quirks: Quirks;
  faults: FaultSwitch;
  log: ApiCall[];
  clock: () => number;
}

export const TOKEN_ERROR = 'token in header not found';
export const UNKNOWN_METHOD = 'Unknown method';

type Handler = (body: unknown, callerId: string, ctx: ApiContext, now: Date) => unknown;

const HANDLERS: Record<string, Handler> = {
  'order/get': (body, _caller, { store, quirks }) => orderGet(body, store, quirks),
  'order/set': (body, caller, { store, quirks }, now) => orderSet(takeRecords(body, quirks.keyedWrites), caller, store, now, quirks),
  'workflow/get': (body, _caller, { store, quirks }) => workflowGet(body, store, quirks),
  'status/get': (body, _caller, { store, quirks }) => statusGet(body, store, quirks),
  'contact/get': (body, _caller, { store, quirks }) => contactGet(body, store, quirks),
  'contact/set': (body, _caller, { store, quirks }, now) => contactSet(takeRecords(body, quirks.keyedWrites), store, now),
  'comment/get': (body, _caller, { store, quirks }) => commentGet(body, store, quirks),
  'comment/set': (body, caller, { store, quirks }, now) => commentSet(takeRecords(body, quirks.keyedWrites), caller, store, now),
  'order/comments/get': (body, _caller, { store, quirks }) => commentGet(body, store, quirks),
  'order/comments/set': (body, caller, { store, quirks }, now) => commentSet(takeRecords(body, quirks.keyedWrites), caller, store, now),
};

/** The routes only one read dialect has: a box of the other answers them "unknown method". */
const DIALECT_ROUTES: Partial<Record<string, SandboxDialect>> = {
  'comment/get': 'wrapped',
  'comment/set': 'wrapped',
  'order/comments/get': 'top-level',
  'order/comments/set': 'top-level',
};

function handlerOf(route: string, dialect: SandboxDialect): Handler | undefined {
  return (DIALECT_ROUTES[route] ?? dialect) === dialect ? HANDLERS[route] : undefined;
}

/** A copy of a request body with every password-like value replaced. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, /password/i.test(key) ? '***' : redactSecrets(v)]),
  );
}

function fail(res: ServerResponse, errors: ErrorArray): void {
  sendJson(res, 400, { status: 0, errorArray: errors });
}

export async function handleApi(
  req: IncomingMessage,
  res: ServerResponse,
  entity: string,
  action: string,
  ctx: ApiContext,
): Promise<void> {
  if (req.method !== 'POST') {
    // No CORS: a preflight (OPTIONS) gets the same refusal as any other method.
    sendHtml(res, 405, errorPage(405), { Allow: 'POST' });
    return;
  }
  let raw: string;
  try {
    raw = (await readBody(req)).toString('utf8');
  } catch (err) {
    if (err instanceof BodyTooLarge) sendHtml(res, 413, errorPage(413), { Connection: 'close' });
    return;
  }
  let parsed: { ok: true; value: unknown } | { ok: false } = { ok: false };
  try {
    parsed = { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    // answered below, after the token check
  }
  const entry: ApiCall = { entity, action, body: parsed.ok ? redactSecrets(parsed.value) : raw, at: Date.now(), tokenOk: false };
  ctx.log.push(entry);

  // A client that gives up meanwhile does not stop the box: the call is still processed.
  await sleep(ctx.quirks.latencyMs);

  const failStatus = ctx.faults.takeFailure();
  if (failStatus !== undefined) {
    entry.fault = 'fail';
    sendHtml(res, failStatus, errorPage(failStatus));
    return;
  }
  const garbage = ctx.faults.takeGarbage();
  if (garbage !== undefined) {
    entry.fault = 'garbage';
    sendGarbage(res, garbage, entity, action);
    return;
  }

  const route = `${entity}/${action}`;
  const handler = handlerOf(route, ctx.quirks.dialect);
  if (route !== 'token/get' && handler === undefined) {
    fail(res, [UNKNOWN_METHOD]);
    return;
  }
  const now = new Date(ctx.clock());
  let callerId: string | undefined;
  if (route !== 'token/get') {
    const header = req.headers.token;
    callerId = ctx.store.useToken(typeof header === 'string' ? header : undefined, ctx.quirks, now.getTime());
    if (callerId === undefined) {
      fail(res, [TOKEN_ERROR]);
      return;
    }
    entry.tokenOk = true;
  }
  if (!parsed.ok) {
    fail(res, ['Invalid JSON in request body']);
    return;
  }

  let answer: { status: 200 | 400; body: unknown };
  try {
    const data = route === 'token/get' ? tokenGet(parsed.value, ctx, entry, now) : handler?.(parsed.value, callerId ?? '', ctx, now);
    answer = { status: 200, body: { status: 1, dataArray: data } };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    answer = { status: 400, body: { status: 0, errorArray: err.errors } };
  }

  // Only a committed write is dropped: a refused one (e.g. a bare array under keyedWrites)
  // leaves the switch armed for the write that does get stored.
  if (action === 'set' && answer.status === 200 && ctx.faults.takeDrop()) {
    entry.fault = 'drop';
    dropAfterHeaders(req, answer.status, JSON.stringify(answer.body));
    return;
  }
  sendJson(res, answer.status, answer.body);
}

function tokenGet(body: unknown, ctx: ApiContext, entry: ApiCall, now: Date): { token: string } {
  const login = isRecord(body) && typeof body.login === 'string' ? body.login : '';
  const password = isRecord(body) && typeof body.restapipassword === 'string' ? body.restapipassword : '';
  const account = ctx.store.account(login);
  if (!account || password === '' || account.restapipassword !== password) {
    throw new ApiError(['Invalid login or restapipassword']);
  }
  entry.tokenOk = true;
  return { token: ctx.store.issueToken(account.id, now.getTime()) };
}

/**
 * The answer is cut after the status line and headers: the client has seen HTTP 200 with a
 * Content-Length and then loses the connection. Headers go out first on purpose, because a
 * browser re-sends a POST when a reused connection closes before any response byte.
 */
function dropAfterHeaders(req: IncomingMessage, status: number, body: string): void {
  const socket = req.socket;
  const reason = status === 200 ? 'OK' : 'Bad Request';
  const head =
    `HTTP/1.1 ${status} ${reason}\r\n` +
    `Content-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n` +
    `Date: ${new Date().toUTCString()}\r\n` +
    `Connection: keep-alive\r\n\r\n`;
  socket.write(head, () => socket.destroy());
}

function sendGarbage(res: ServerResponse, kind: GarbageKind, entity: string, action: string): void {
  switch (kind) {
    case 'html':
      // What a box answers when a proxy or the login screen gets in the way.
      sendHtml(res, 200, loginPage());
      return;
    case 'empty':
      sendText(res, 200, 'application/json; charset=utf-8', '');
      return;
    case 'not-json':
      sendText(res, 200, 'application/json; charset=utf-8', '{"status":1,"dataArray":[{"id":"10');
      return;
    case 'wrong-types': {
      // A well-formed envelope whose content breaks the contract: ids as objects,
      // text as numbers, expected fields missing.
      const data =
        entity === 'token'
          ? { token: { value: 12345 } }
          : action === 'set'
            ? [{ id: { value: 82806 } }, null]
            : [{ id: { value: '101' }, name: 42 }, 'oops'];
      sendJson(res, 200, { status: 1, dataArray: data });
      return;
    }
  }
}
