// The box's web pages with a cookie session: the order list, the order page under its three
// URL forms, the two endpoints the page's own comment composer uses, and the late comment block.
//
// Session: a page visit without a valid `ob_session` cookie signs in as the first employee
// (the manager); `?as=<login>` on any page switches the signed-in user.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { addComment, isCommentType } from './api-misc.ts';
import { commentBlockHtml, commentItemsHtml, errorPage, isBlocksVariant, isComposerVariant, layout, notFoundPage, orderListHtml,
  orderPageHtml, unfamiliarOrderPageHtml, type Viewer } from './html.ts';
import { BodyTooLarge, parseCookies, readBody, sendHtml, sendJson } from './http.ts';
import type { Store } from './state.ts';
import type { Quirks } from './types.ts';

export const SESSION_COOKIE = 'ob_session';

export interface PageContext {
  store: Store;
  boxName: string;
  /** Live: `composer` and `blocks` shape the order page's comment block. */
  quirks: Quirks;
}

/** Order page URL forms: modern, older shop, and the custom-order editor. */
const ORDER_PAGE_PATTERNS = [
  /^\/(\d+)\/$/,
  /^\/admin\/shop\/orders\/(\d+)\/$/,
  /^\/admin\/customorder\/[A-Za-z0-9_-]+\/(\d+)\/edit\/$/,
];

export async function handlePage(req: IncomingMessage, res: ServerResponse, url: URL, ctx: PageContext): Promise<void> {
  const path = url.pathname;
  if (path === '/admin/comment/add/') return commentAdd(req, res, ctx);
  if (path === '/admin/comment/list/') return commentList(req, res, url, ctx);
  if (path === '/admin/block/order/comment/get/ajax/') return commentBlock(req, res, url, ctx);

  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendHtml(res, 405, errorPage(405), { Allow: 'GET, HEAD' });
    return;
  }
  let orderId: string | undefined;
  for (const pattern of ORDER_PAGE_PATTERNS) orderId ??= pattern.exec(path)?.[1];
  if (path !== '/' && orderId === undefined) {
    sendHtml(res, 404, notFoundPage());
    return;
  }

  const session = signIn(req, url, ctx.store);
  if (!session) {
    sendHtml(res, 403, errorPage(403));
    return;
  }
  const headers: Record<string, string> = session.cookie ? { 'Set-Cookie': session.cookie } : {};
  const viewer: Viewer = { id: session.employeeId, name: ctx.store.userName(session.employeeId) };
  const logins = ctx.store.state.employees.map((e) => e.login);

  if (orderId === undefined) {
    const orders = [...ctx.store.state.orders].sort((a, b) => Number(a.id) - Number(b.id));
    sendHtml(res, 200, layout(ctx.boxName, 'Orders', viewer, logins, orderListHtml(orders, ctx.store)), headers);
    return;
  }
  const order = ctx.store.order(String(Number(orderId)));
  if (!order) {
    sendHtml(res, 404, notFoundPage(), headers);
    return;
  }
  // `?composer=form|button` and `?blocks=inline|late` pick the comment block for this page
  // load; without them, the quirks decide. An unknown value is refused, so a typo never tests
  // the wrong page.
  const composerParam = url.searchParams.get('composer');
  const blocksParam = url.searchParams.get('blocks');
  if ((composerParam !== null && !isComposerVariant(composerParam)) || (blocksParam !== null && !isBlocksVariant(blocksParam))) {
    sendHtml(res, 400, errorPage(400), headers);
    return;
  }
  const composer = composerParam ?? ctx.quirks.composer;
  const title = `#${order.id} ${order.name}`;
  // `?layout=unfamiliar` serves the order in markup the extension does not know (a newer or
  // customised box), to test that it falls back to its own panel instead of doing nothing.
  const content = url.searchParams.get('layout') === 'unfamiliar'
    ? unfamiliarOrderPageHtml(order, ctx.store)
    : orderPageHtml(order, viewer.id, ctx.store, composer, blocksParam ?? ctx.quirks.blocks);
  sendHtml(res, 200, layout(ctx.boxName, title, viewer, logins, content), headers);
}

interface Session {
  employeeId: string;
  /** Set-Cookie value when a new session was started. */
  cookie?: string;
}

function sessionCookie(sid: string): string {
  return `${SESSION_COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Lax`;
}

/** The employee signed in by the cookie, if the session is known. */
function sessionUser(req: IncomingMessage, store: Store): { sid: string; employeeId: string } | undefined {
  const sid = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
  const employeeId = store.sessionUser(sid);
  return sid !== undefined && employeeId !== undefined ? { sid, employeeId } : undefined;
}

/** Signs the visitor in (first employee) or switches user (`?as=`); undefined for an unknown login. */
function signIn(req: IncomingMessage, url: URL, store: Store): Session | undefined {
  const current = sessionUser(req, store);
  const as = url.searchParams.get('as');
  let wanted: string | undefined;
  if (as !== null) {
    wanted = store.account(as)?.id;
    if (wanted === undefined) return undefined;
  }
  if (current) {
    if (wanted !== undefined) store.switchSession(current.sid, wanted);
    return { employeeId: wanted ?? current.employeeId };
  }
  const employeeId = wanted ?? store.state.employees[0]?.id;
  if (employeeId === undefined) return undefined;
  return { employeeId, cookie: sessionCookie(store.newSession(employeeId)) };
}

/**
 * The composer's POST: urlencoded orderid, postcomment (or postcomment[], the modern
 * composer's name; postcomment wins when both are sent), commenttype, clientvisible.
 */
async function commentAdd(req: IncomingMessage, res: ServerResponse, ctx: PageContext): Promise<void> {
  if (req.method !== 'POST') {
    sendHtml(res, 405, errorPage(405), { Allow: 'POST' });
    return;
  }
  let raw: Buffer;
  try {
    raw = await readBody(req);
  } catch (err) {
    if (err instanceof BodyTooLarge) sendHtml(res, 413, errorPage(413), { Connection: 'close' });
    return;
  }
  const user = sessionUser(req, ctx.store);
  if (!user) {
    sendJson(res, 403, { status: 0, error: 'Not signed in' });
    return;
  }
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    sendJson(res, 400, { status: 0, error: 'Expected a form-urlencoded body' });
    return;
  }
  const form = new URLSearchParams(raw.toString('utf8'));
  const orderid = String(Number(form.get('orderid') ?? ''));
  if (!ctx.store.order(orderid)) {
    sendJson(res, 404, { status: 0, error: 'Unknown order' });
    return;
  }
  const content = form.get('postcomment') ?? form.get('postcomment[]') ?? '';
  if (content.trim() === '') {
    sendJson(res, 400, { status: 0, error: 'Comment is empty' });
    return;
  }
  const type = form.get('commenttype') ?? 'comment';
  if (!isCommentType(type)) {
    sendJson(res, 400, { status: 0, error: 'Unknown comment type' });
    return;
  }
  const visible = form.get('clientvisible');
  const clientvisible = visible === '1' || visible === 'on' || visible === 'true' ? '1' : '0';
  const id = addComment(ctx.store, { orderid, type, content, userid: user.employeeId, clientvisible }, new Date());
  sendJson(res, 200, { status: 1, id });
}

/**
 * A block fetch of the order page: a GET by a signed-in user for an order that exists, or the
 * error page the box answers instead (and null).
 */
function blockRequest(req: IncomingMessage, res: ServerResponse, url: URL, ctx: PageContext) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendHtml(res, 405, errorPage(405), { Allow: 'GET, HEAD' });
    return null;
  }
  const user = sessionUser(req, ctx.store);
  if (!user) {
    sendHtml(res, 403, errorPage(403));
    return null;
  }
  const orderid = String(Number(url.searchParams.get('orderid') ?? ''));
  if (!ctx.store.order(orderid)) {
    sendHtml(res, 404, notFoundPage());
    return null;
  }
  return { user, orderid };
}

/** The list fragment the composer reloads after posting. */
function commentList(req: IncomingMessage, res: ServerResponse, url: URL, ctx: PageContext): void {
  const asked = blockRequest(req, res, url, ctx);
  if (asked) sendHtml(res, 200, commentItemsHtml(ctx.store.commentsOf(asked.orderid), asked.user.employeeId, ctx.store));
}

/** The late comment block (list and composer) the modern page's script fetches and redraws. */
async function commentBlock(req: IncomingMessage, res: ServerResponse, url: URL, ctx: PageContext): Promise<void> {
  const asked = blockRequest(req, res, url, ctx);
  if (!asked) return;
  const { user, orderid } = asked;
  const composer = url.searchParams.get('composer');
  if (!isComposerVariant(composer)) {
    sendHtml(res, 404, notFoundPage());
    return;
  }
  await new Promise((resolve) => setTimeout(resolve, ctx.quirks.blockDelayMs));
  sendHtml(res, 200, commentBlockHtml(orderid, user.employeeId, ctx.store, composer));
}
