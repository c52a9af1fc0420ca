// HTML of the box's pages. The order page follows the 2016 engine's comment markup (see
// onebox-api.md) because that is what the content script reads and extends; its comment block
// comes in the first HTML or, as on the modern page, later through a page script. All text is
// escaped here; nothing from the data is ever written as markup.
import { fullName, type Store } from './state.ts';
import type { BlocksVariant, CommentRecord, ComposerVariant, OrderRecord } from './types.ts';
import { reasonPhrase } from './http.ts';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Plain text as HTML: escaped, line breaks as <br>. */
export function textToHtml(text: string): string {
  return escapeHtml(text).replace(/\r\n|\r|\n/g, '<br>');
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222;background:#f4f5f7}
.ob-topbar{display:flex;gap:16px;align-items:center;padding:8px 16px;background:#263238;color:#fff}
.ob-topbar a{color:#cfd8dc}.ob-user{font-weight:600;margin-left:auto}
main{max-width:880px;margin:16px auto;background:#fff;padding:16px 24px;border-radius:4px}
.ob-order-header{display:flex;align-items:center;gap:12px;flex-wrap:wrap}
.ob-order-info{display:grid;grid-template-columns:180px 1fr;gap:4px 12px}
.ob-order-info dt{color:#666}.ob-order-info dd{margin:0}
.comment-item{border-top:1px solid #eee;padding:8px 0}
.comment-item.my-comment{background:#f1f8e9}
.js-item-change,.js-item-notify{color:#777;font-size:12px}
.chead{display:flex;gap:8px;align-items:baseline}.chead .date{color:#999;font-size:12px}
.chead .tag{background:#eceff1;border-radius:3px;padding:0 4px;font-size:12px}
.ob-comment-add textarea{width:100%;min-height:70px;box-sizing:border-box}
.ob-comment-add .ob-comment-actions{display:flex;gap:12px;align-items:center;margin-top:6px}
`;

export interface Viewer {
  id: string;
  name: string;
}

export function layout(boxName: string, title: string, viewer: Viewer | undefined, logins: string[], content: string): string {
  const user = viewer
    ? `<span class="ob-user" data-id="${escapeHtml(viewer.id)}">${escapeHtml(viewer.name)}</span>`
    : '';
  const switcher = logins.map((login) => `<a href="?as=${encodeURIComponent(login)}">${escapeHtml(login)}</a>`).join(' ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — ${escapeHtml(boxName)}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="ob-topbar"><a class="ob-logo" href="/">${escapeHtml(boxName)}</a>${user}<nav class="ob-switch">Sign in as: ${switcher}</nav></header>
<main>
${content}
</main>
</body>
</html>
`;
}

export function orderListHtml(orders: OrderRecord[], store: Store): string {
  const rows = orders
    .map((o) => {
      const status = store.status(o.statusid)?.name ?? '';
      const workflow = store.workflow(o.workflowid)?.name ?? '';
      return `<tr data-id="${escapeHtml(o.id)}"><td>${escapeHtml(o.id)}</td><td><a class="ob-order-link" href="/${escapeHtml(o.id)}/">${escapeHtml(o.name || `#${o.id}`)}</a></td><td>${escapeHtml(workflow)}</td><td>${escapeHtml(status)}</td></tr>`;
    })
    .join('\n');
  return `<h1>Orders</h1>
<table class="ob-orders"><thead><tr><th>#</th><th>Name</th><th>Business process</th><th>Stage</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
}

const SYSTEM_CLASS: Record<string, string> = {
  change: 'js-item-change',
  notify: 'js-item-notify',
  email: 'js-item-email',
  call: 'js-item-call',
  sms: 'js-item-sms',
  result: 'js-item-result',
};

/** The items of a comment list, as the list endpoint and the page render them. */
export function commentItemsHtml(items: CommentRecord[], viewerId: string, store: Store): string {
  return items
    .map((item) => {
      const author = store.contact(item.userid);
      const authorName = escapeHtml(store.userName(item.userid));
      const date = `<span class="date">${escapeHtml(item.cdate)}</span>`;
      const body = textToHtml(item.content);
      if (item.type !== 'comment') {
        const cls = SYSTEM_CLASS[item.type] ?? 'js-item-notify';
        return `<div class="comment-item ${cls}"><div class="chead"><a class="name" href="#" data-id="${escapeHtml(item.userid)}">${authorName}</a> ${date}</div><div class="cbody">${body}</div></div>`;
      }
      const mine = item.userid === viewerId ? ' my-comment' : '';
      const tag = author && author.company !== '' ? ` <span class="tag">${escapeHtml(author.company)}</span>` : '';
      const id = escapeHtml(item.id);
      return (
        `<div class="comment-item js-item-comment${mine}">` +
        `<div class="chead"><a class="name" href="#" data-id="${escapeHtml(item.userid)}">${authorName}</a>${tag} ${date}` +
        ` <a href="#" class="js-comment-quote" data-id="${id}">Quote</a>` +
        ` <a href="#" class="js-comment-edit" data-id="${id}">Edit</a></div>` +
        `<div class="cbody" id="js-text-${id}">${body}</div></div>`
      );
    })
    .join('\n');
}

export const COMPOSER_VARIANTS: readonly ComposerVariant[] = ['form', 'button'];
export const BLOCKS_VARIANTS: readonly BlocksVariant[] = ['inline', 'late'];

const oneOf = <T extends string>(variants: readonly T[]) => (value: unknown): value is T => variants.some((variant) => variant === value);
export const isComposerVariant = oneOf(COMPOSER_VARIANTS);
export const isBlocksVariant = oneOf(BLOCKS_VARIANTS);

// The page's own comment block script, plain JS as a box page has it, for every variant: one
// postComment() posts the fields to /admin/comment/add/ with the session cookie (the text under
// the textarea's own name, postcomment or postcomment[]), then reloads. Elements are looked up
// when used, because the late block replaces them all.
// Composer 'form': the form's submit event calls it, and Ctrl/Cmd+Enter in the textarea calls it
// directly (no submit event), like real boxes do. 'button' (no form): the button's click calls
// it, and so do Enter and Ctrl/Cmd+Enter; Shift+Enter keeps its default, a new line.
// Blocks 'inline': a reload redraws the list's items. 'late': the block is fetched after the
// first HTML, and a reload draws the whole block anew (new nodes), keeping a draft.
const BLOCK_SCRIPT = `
(function () {
  'use strict';
  var block = document.querySelector('.ob-comment-block');
  if (!block) return;
  var orderid = block.getAttribute('data-orderid');
  var late = block.getAttribute('data-blocks') === 'late';
  var busy = false;
  function $(selector) {
    return block.querySelector(selector);
  }
  function get(url) {
    return fetch(url, { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.text();
    });
  }
  function reload() {
    if (!late) {
      return get('/admin/comment/list/?orderid=' + encodeURIComponent(orderid)).then(function (html) {
        $('.ob-block-comments').innerHTML = html;
      });
    }
    var draft = $('#js-postcomment') ? $('#js-postcomment').value : '';
    var url = '/admin/block/order/comment/get/ajax/?orderid=' + encodeURIComponent(orderid) + '&composer=' + encodeURIComponent(block.getAttribute('data-composer'));
    return get(url).then(function (html) {
      block.innerHTML = html;
      $('#js-postcomment').value = draft;
      bind();
    });
  }
  function postComment() {
    var text = $('#js-postcomment');
    if (busy || text.value.trim() === '') return;
    busy = true;
    $('.ob-comment-note').textContent = 'Sending…';
    var body = new URLSearchParams();
    body.set('orderid', orderid);
    body.set(text.name, text.value);
    body.set('commenttype', $('#js-comment-type').value);
    body.set('clientvisible', $('#js-comment-clientvisible').checked ? '1' : '0');
    fetch('/admin/comment/add/', { method: 'POST', body: body, credentials: 'same-origin' })
      .then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        text.value = '';
        return reload();
      })
      .then(function () {
        $('.ob-comment-note').textContent = '';
      })
      .catch(function (e) {
        $('.ob-comment-note').textContent = 'Comment not sent: ' + e.message;
      })
      .then(function () {
        busy = false;
      });
  }
  function bind() {
    var form = $('.ob-comment-add form');
    var text = $('#js-postcomment');
    if (form) {
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        postComment();
      });
    } else {
      $('.ob-comment-add button.js-comment-submit').addEventListener('click', function () {
        postComment();
      });
    }
    text.addEventListener('keydown', function (e) {
      if (e.key !== 'Enter' || e.isComposing) return;
      if (e.ctrlKey || e.metaKey || (!form && !e.shiftKey)) {
        e.preventDefault();
        postComment();
      }
    });
  }
  // The box redraws the block by itself too (a colleague's comment, a stage change): a test
  // calls this to redraw it at the moment it chooses.
  window.obReloadComments = reload;
  if (!late) return bind();
  reload().catch(function (e) {
    block.textContent = 'Comments could not be loaded: ' + e.message;
  });
})();
`;

/** The comment composer block; both variants share the ids and the fields. */
function composerHtml(orderId: string, variant: ComposerVariant): string {
  const id = escapeHtml(orderId);
  const fields = (textName: string, button: string): string => `<textarea id="js-postcomment" name="${textName}" placeholder="Write a comment"></textarea>
<input type="hidden" id="js-comment-type" name="commenttype" value="comment">
<div class="ob-comment-actions">
<label><input type="checkbox" id="js-comment-clientvisible" name="clientvisible" value="1" checked> Visible in client cabinet</label>
${button}
<span class="ob-comment-note" role="status"></span>
</div>`;
  if (variant === 'button') {
    // The modern composer: no <form>, the send button carries the order id.
    return `<div class="ob-comment-add">
${fields('postcomment[]', `<button type="button" class="js-comment-submit" data-orderid="${id}">Send</button>`)}
</div>`;
  }
  return `<div class="ob-comment-add">
<form action="/admin/comment/add/" method="post" data-orderid="${id}">
<input type="hidden" name="orderid" value="${id}">
${fields('postcomment', '<button type="submit" class="js-comment-submit">Send</button>')}
</form>
</div>`;
}

/** The comment block: the list and the composer, as the page and the late block's fetch draw it. */
export function commentBlockHtml(orderId: string, viewerId: string, store: Store, composer: ComposerVariant): string {
  return `<div class="ob-block-comments">
${commentItemsHtml(store.commentsOf(orderId), viewerId, store)}
</div>
${composerHtml(orderId, composer)}`;
}

export function orderPageHtml(order: OrderRecord, viewerId: string, store: Store, composer: ComposerVariant = 'form', blocks: BlocksVariant = 'inline'): string {
  const status = store.status(order.statusid);
  const workflow = store.workflow(order.workflowid);
  const client = store.contact(order.clientid);
  const manager = store.contact(order.managerid);
  // label, class, shown text, data-id (the record's id, when the value is a record)
  const info: [string, string, string, string | undefined][] = [
    ['Business process', 'ob-order-workflow', workflow?.name ?? '', order.workflowid],
    ['Stage', 'ob-order-status', status?.name ?? '', order.statusid],
    ['Client', 'ob-order-client', client ? fullName(client) : '', order.clientid],
    ['Manager', 'ob-order-manager', manager ? fullName(manager) : '', order.managerid],
    ['Description', 'ob-order-description', order.description, undefined],
  ];
  const rows = info.map(([label, cls, value, recordId]) => {
    const dataId = recordId === undefined ? '' : ` data-id="${escapeHtml(recordId)}"`;
    return `<dt>${escapeHtml(label)}</dt><dd class="${cls}"${dataId}>${textToHtml(value)}</dd>`;
  });
  for (const def of store.state.customFields) {
    rows.push(
      `<dt>${escapeHtml(def.name)}</dt><dd class="ob-order-field" data-key="${escapeHtml(def.key)}">${escapeHtml(order.customfields[def.key] ?? '')}</dd>`,
    );
  }
  const id = escapeHtml(order.id);
  const block = blocks === 'late' ? '<p class="ob-block-loading">Loading comments…</p>' : commentBlockHtml(order.id, viewerId, store, composer);
  return `<div class="ob-order" data-orderid="${id}">
<div class="ob-order-header"><h1 class="ob-order-title">${escapeHtml(order.name)}</h1><span class="ob-order-id">#${id}</span></div>
<dl class="ob-order-info">
${rows.join('\n')}
</dl>
<h2>Comments</h2>
<div class="ob-comment-block" data-orderid="${id}" data-composer="${composer}" data-blocks="${blocks}">
${block}
</div>
</div>
<script>${BLOCK_SCRIPT}</script>`;
}

/** Error page in the style of the web server in front of a box. */
export function errorPage(status: number): string {
  const title = `${status} ${reasonPhrase(status)}`;
  return `<html>
<head><title>${title}</title></head>
<body>
<center><h1>${title}</h1></center>
<hr><center>nginx</center>
</body>
</html>
`;
}

export function notFoundPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Page not found</title></head>
<body><h1>Page not found</h1><p>The page does not exist or was removed. <a href="/">Go to the start page</a></p></body>
</html>
`;
}

/** The sign-in screen a box shows instead of an answer, e.g. behind an SSO proxy. */
export function loginPage(): string {
  return `<!doctype html>
<html lang="uk"><head><meta charset="utf-8"><title>Вхід — OneBox</title></head>
<body><form method="post" action="/login/"><h1>Вхід</h1>
<input name="login" placeholder="Логін"><input name="password" type="password" placeholder="Пароль">
<button type="submit">Увійти</button></form></body>
</html>
`;
}

/** The same order in markup of no known page version: no header block, no comment block. */
export function unfamiliarOrderPageHtml(order: OrderRecord, store: Store): string {
  const items = store.commentsOf(order.id).filter((c) => c.type === 'comment');
  return `<div class="process-view" data-process="${escapeHtml(order.id)}">
<div class="process-name">${escapeHtml(order.name)}</div>
<section class="process-feed">
${items.map((c) => `<article class="feed-entry">${textToHtml(c.content)}</article>`).join('\n')}
</section>
</div>`;
}
