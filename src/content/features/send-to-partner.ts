// "Send to partner" on an order page: the send control, the preview and confirm, progress,
// one link status per partner (with retry and "stop syncing"), and the order's history under them. Placed in the order's
// header, wherever the page draws it; while the page has none, in a docked panel that says so.
import type { LinkView, SendPreview } from '../../messages/protocol';
import { keyedErrorData } from '../../errors/keyed-error';
import { request } from '../../messages/send';
import { watch } from '../anchors';
import { h, shadowHost, type Child } from '../dom';
import type { PageState } from '../page-state';
import { t } from '../strings';
import { createHistory } from './history';
import css from './send-to-partner.css?inline';

type View =
  | { kind: 'idle' }
  | { kind: 'choosing' }
  | { kind: 'loading-preview'; partnerId: string }
  | { kind: 'preview'; partnerId: string; preview: SendPreview }
  | { kind: 'error'; text: string; detail?: string; again: () => void };

export function init(signal: AbortSignal, page: PageState): void {
  const { host, root } = shadowHost('send', css);
  signal.addEventListener('abort', () => host.remove());

  let view: View = { kind: 'idle' };
  // Built with the first link: an order never sent has no history.
  let history: HTMLElement | null = null;

  const linkOf = (partnerId: string) => page.get().links.find((l) => l.partnerId === partnerId);
  const sendable = () => page.get().partners.filter((p) => {
    const link = linkOf(p.id);
    return !link || link.state === 'unlinked';
  });

  const show = (next: View) => {
    view = next;
    render();
  };

  const failWith = (error: unknown, again: () => void) => {
    const { messageKey, detail } = keyedErrorData(error);
    show({ kind: 'error', text: t(messageKey), ...(detail ? { detail } : {}), again });
  };

  const openPreview = async (partnerId: string) => {
    show({ kind: 'loading-preview', partnerId });
    try {
      show({ kind: 'preview', partnerId, preview: await request('order/preview', { partnerId }) });
    } catch (error) {
      failWith(error, () => void openPreview(partnerId));
    }
  };

  const act = async (type: 'order/send' | 'order/retry' | 'order/unlink', partnerId: string) => {
    try {
      const link = await request(type, { partnerId });
      view = { kind: 'idle' };
      const state = page.get();
      page.set({ ...state, links: [...state.links.filter((l) => l.partnerId !== partnerId), link] });
    } catch (error) {
      failWith(error, () => void act(type, partnerId));
    }
    void page.refresh();
  };

  const startSend = () => {
    const partners = sendable();
    if (partners.length === 1 && partners[0]) void openPreview(partners[0].id);
    else show({ kind: 'choosing' });
  };

  function linkStatus(link: LinkView): HTMLElement {
    const name = link.partnerName;
    const attrs = {
      'data-partner-sync': 'link', 'data-partner-id': link.partnerId, 'data-state': link.state,
      'data-remote-id': link.remoteOrderId, 'data-remote-status-id': link.remoteStage?.id,
    };
    const parts: Child[] = [];
    if (link.state === 'linked') {
      parts.push(t('page_linked', name), ': ');
      parts.push(h('a', { href: link.remoteUrl, target: '_blank', rel: 'noopener noreferrer' }, t('page_remote_process', link.remoteOrderId ?? '')));
      if (link.remoteStage) {
        parts.push(' · ', h('span', { 'data-partner-sync': 'remote-stage', title: t('page_stage_since', link.remoteStage.sinceText) }, t('page_partner_stage', link.remoteStage.name)));
      }
      parts.push(h('button', { type: 'button', 'data-partner-sync': 'unlink', onclick: () => {
        if (window.confirm(t('page_stop_sync_confirm', name))) void act('order/unlink', link.partnerId);
      } }, t('page_stop_sync')));
    } else if (link.state === 'unlinked') {
      parts.push(t('page_unlinked', name));
    } else {
      parts.push(link.state === 'sending' && !link.problem ? t('page_sending', name) : t('page_failed', name));
    }
    // A linked order whose partner box cannot be read says so too: nothing fails silently.
    if (link.problem) {
      parts.push(h('span', { class: 'problem', role: 'alert' }, `: ${link.problem.text}`, link.problem.detail ? ` (${link.problem.detail})` : '',
        link.problem.retrying ? ` — ${t('page_retrying')}` : ''));
      parts.push(h('button', { type: 'button', 'data-partner-sync': 'retry', onclick: () => void act('order/retry', link.partnerId) }, t('page_retry')));
    }
    if (link.notice) parts.push(h('span', { class: 'problem', role: 'status', 'data-partner-sync': 'notice' }, ` ${link.notice.text}`, link.notice.detail ? ` (${link.notice.detail})` : ''));
    return h('div', attrs, ...parts);
  }

  function previewDialog(partnerId: string, preview: SendPreview): HTMLElement {
    const row = (label: string, value: string) => h('div', { class: 'row' }, h('dt', {}, label), h('dd', {}, value));
    let sent = false;
    return h('div', { role: 'dialog', 'aria-modal': 'false', 'aria-label': t('page_preview_title', preview.partnerName), 'data-partner-sync': 'preview' },
      h('p', { class: 'title' }, t('page_preview_title', preview.partnerName)),
      h('dl', {},
        row(t('page_preview_order'), preview.orderName),
        row(t('page_preview_process'), preview.workflowName),
        row(t('page_preview_stage'), preview.stageName),
        row(t('page_preview_assignee'), `${preview.assigneeName} <${preview.assigneeEmail}>`),
        row(t('page_preview_client'), preview.clientName ?? t('page_preview_no_client')),
        ...preview.fields.map((f) => row(`${t('page_preview_fields')}: ${f.from} → ${f.to}`, f.value))),
      h('button', { type: 'button', class: 'primary', 'data-partner-sync': 'confirm-send', onclick: (event) => {
        // One click sends once; the worker also makes a second request a no-op.
        if (sent) return;
        sent = true;
        (event.currentTarget as HTMLButtonElement).disabled = true;
        void act('order/send', partnerId);
      } }, t('page_confirm_send')),
      h('button', { type: 'button', 'data-partner-sync': 'cancel', onclick: () => show({ kind: 'idle' }) }, t('page_cancel')));
  }

  // Redrawing only on change keeps keyboard focus where the user left it between polls.
  let drawn = '';
  function render(): void {
    const key = JSON.stringify([host.className, view.kind, 'partnerId' in view ? view.partnerId : null, page.get().partners, page.get().links]);
    if (key === drawn && view.kind !== 'error') return;
    drawn = key;
    const panel: Child[] = [];
    if (host.classList.contains('docked')) panel.push(h('p', { class: 'note' }, t('page_panel_title'), ': ', t('page_missing_element')));
    if (sendable().length > 0) {
      panel.push(h('button', { type: 'button', class: 'primary', 'data-partner-sync': 'send', 'aria-expanded': String(view.kind === 'choosing'), onclick: startSend }, t('page_send')));
    }
    panel.push(...page.get().links.map(linkStatus));
    if (page.get().links.length > 0) panel.push(history ??= createHistory(page));
    if (view.kind === 'choosing') {
      panel.push(h('div', { role: 'group', 'aria-label': t('page_choose_partner'), class: 'choices' }, t('page_choose_partner'),
        ...sendable().map((p) => h('button', { type: 'button', 'data-partner-sync': 'partner-choice', 'data-partner-id': p.id, onclick: () => void openPreview(p.id) }, p.name))));
    } else if (view.kind === 'loading-preview') {
      panel.push(h('p', { role: 'status' }, t('page_loading_preview')));
    } else if (view.kind === 'preview') {
      panel.push(previewDialog(view.partnerId, view.preview));
    } else if (view.kind === 'error') {
      const { again } = view;
      panel.push(h('div', { role: 'alert', class: 'problem', 'data-partner-sync': 'error' }, view.text, view.detail ? ` (${view.detail})` : '',
        h('button', { type: 'button', 'data-partner-sync': 'retry', onclick: again }, t('page_retry'))));
    }
    const container = h('div', { class: 'panel' }, ...panel);
    root.querySelector('.panel')?.remove();
    root.append(container);
  }

  page.subscribe(render);
  watch(signal, 'orderHeader', (header) => {
    host.classList.toggle('docked', !header);
    if (header) {
      header.after(host);
      host.removeAttribute('data-partner-sync-docked');
    } else {
      host.dataset.partnerSyncDocked = 'true';
      document.body.append(host);
    }
    render();
  });
}
