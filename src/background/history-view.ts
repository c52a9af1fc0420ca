// A linked order's history as the manager reads it: one sentence per event in their language,
// newest first, and the same as a CSV file a spreadsheet opens as it is (UTF-8 with a byte
// order mark, every cell quoted where it must be, no cell a spreadsheet would run as a formula).
import { translate, type Language, type MessageKey } from '../i18n';
import type { HistoryEntryView, HistoryView } from '../messages/protocol';
import type { SyncContext } from '../sync/context';
import { historyOf, type HistoryEntry, type HistorySubject } from '../sync/history';
import { clockTime } from './views';

const SUBJECT_KEYS = {
  'send-order': 'popup_item_send',
  'comment-out': 'popup_item_comment_out',
  'comment-in': 'popup_item_comment_in',
  'field-update': 'popup_item_field_update',
  'stage-move': 'popup_item_stage_move',
  poll: 'history_subject_poll',
  'auto-send': 'history_subject_auto_send',
  'state-read': 'history_subject_state_read',
  'set-up': 'history_subject_set_up',
  sync: 'history_subject_sync',
} as const satisfies Record<HistorySubject, MessageKey>;

/** The sentence of one event, and the box's own words where it has them. */
function describe(language: Language, entry: HistoryEntry, partnerName: string): { text: string; detail?: string } {
  const t = (key: MessageKey, ...substitutions: string[]) => translate(language, key, substitutions);
  switch (entry.event) {
    case 'sent':
      return { text: t(entry.unassigned ? 'history_sent_unassigned' : 'history_sent', partnerName, entry.remoteOrderId) };
    case 'comment-sent':
      return { text: t('history_comment_sent', partnerName, entry.excerpt) };
    case 'comment-received':
      return { text: t('history_comment_received', partnerName, entry.excerpt) };
    case 'comment-private':
      return { text: t('history_comment_private', entry.excerpt) };
    case 'comment-filtered':
      return { text: entry.inbound ? t('history_comment_filtered_in', partnerName, entry.excerpt) : t('history_comment_filtered_out', entry.excerpt) };
    case 'failed': {
      const then = entry.retryAt === undefined ? t('history_waits_for_retry') : t('history_retry_at', clockTime(language, entry.retryAt, true));
      return { text: t('history_failed', t(SUBJECT_KEYS[entry.subject]), translate(language, entry.error.messageKey), then), ...(entry.error.detail ? { detail: entry.error.detail } : {}) };
    }
    case 'retried':
      return { text: t('history_retried', t(SUBJECT_KEYS[entry.subject]), String(entry.attempt)) };
    case 'field-updated':
      return { text: t('history_field_updated', partnerName, Object.entries(entry.fields).map(([key, value]) => `${key} = ${value}`).join('; ')) };
    case 'stage-changed':
      return { text: entry.side === 'partner' ? t('history_stage_partner', partnerName, entry.stageName ?? entry.stageId) : t('history_stage_own', entry.stageId) };
  }
}

/** A spreadsheet runs a cell that starts with one of these as a formula: such a cell gets a leading apostrophe. */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** RFC 4180 lines (CRLF), with a byte order mark so that a spreadsheet reads the file as UTF-8. */
export function csvText(rows: readonly (readonly string[])[]): string {
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** The history of some links of one order (all of the order's, or one), for the page or the popup. */
export async function historyView(ctx: SyncContext, orderId: string, linkIds: readonly string[], language: Language, fileName: string): Promise<HistoryView> {
  const links = await Promise.all(linkIds.map((id) => ctx.db.get('links', id)));
  const partnerNames = new Map(links.flatMap((link) => (link ? [[link.id, ctx.settings.partners.find((p) => p.id === link.partnerId)?.name ?? link.partnerId]] : [])));
  const entries: HistoryEntryView[] = (await historyOf(ctx.db, linkIds)).map((entry) => {
    const partnerName = partnerNames.get(entry.linkId) ?? entry.linkId.split('|')[0] ?? '';
    return { event: entry.event, at: entry.at, atText: clockTime(language, entry.at, true), partnerName, ...describe(language, entry, partnerName) };
  });
  const header = ['history_csv_time', 'history_csv_local_time', 'history_csv_order', 'history_csv_partner', 'history_csv_event', 'history_csv_text', 'history_csv_detail'] as const;
  const rows = entries.map((e) => [new Date(e.at).toISOString(), e.atText, orderId, e.partnerName, e.event, e.text, e.detail ?? '']);
  return {
    entries: [...entries].reverse(),
    csv: { fileName, text: csvText([header.map((key) => translate(language, key)), ...rows]) },
  };
}
