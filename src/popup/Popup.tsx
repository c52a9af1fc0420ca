// The toolbar popup: what is linked, what is queued or failed and why, "Retry" and "Sync now",
// and each link's history (with its CSV export).
// The worker builds every text of the overview in the user's language; the popup lays it out,
// and asks again every 2 s while it is open so it follows the sync without a reload ("Retry"
// and "Sync now" answer before the sync has run).
import { useEffect, useRef, useState } from 'preact/hooks';
import { keyedErrorData } from '../errors/keyed-error';
import { resolveLanguage, translate, type Language, type MessageKey } from '../i18n';
import type { HistoryView, PopupFailedItem, PopupLink, PopupOverview, PopupPageProblem } from '../messages/protocol';
import { request } from '../messages/send';
import { openOptionsPage, uiLanguage } from '../platform/browser-api';
import { downloadText } from '../ui/download';

const REFRESH_MS = 2_000;

type Translate = (key: MessageKey, substitutions?: readonly string[]) => string;
type Problem = { text: string; detail?: string };
/** What runs now: a sync of everything, or the retry of one link (its id). */
type Busy = { sync: true } | { retry: string } | null;

const STATE_KEYS = {
  sending: 'popup_state_sending',
  linked: 'popup_state_linked',
  failed: 'popup_state_failed',
  unlinked: 'popup_state_unlinked',
} as const satisfies Record<PopupLink['state'], MessageKey>;

const ITEM_KEYS = {
  'send-order': 'popup_item_send',
  'comment-out': 'popup_item_comment_out',
  'comment-in': 'popup_item_comment_in',
  'field-update': 'popup_item_field_update',
  'stage-move': 'popup_item_stage_move',
} as const satisfies Record<PopupFailedItem['kind'], MessageKey>;

function problemOf(error: unknown, t: Translate): Problem {
  const { messageKey, detail } = keyedErrorData(error);
  return { text: t(messageKey), ...(detail ? { detail } : {}) };
}

function ProblemText({ problem }: { problem: Problem }) {
  return (
    <>
      {problem.text}
      {problem.detail && <span class="detail"> ({problem.detail})</span>}
    </>
  );
}

interface LinkProps {
  link: PopupLink;
  index: number;
  t: Translate;
  busy: Busy;
  onRetry(linkId: string): void;
}

function RetryButton({ link, t, busy, onRetry, describedBy }: LinkProps & { describedBy: string }) {
  const retrying = busy !== null && 'retry' in busy && busy.retry === link.linkId;
  return (
    <button type="button" data-partner-sync="popup-retry" aria-describedby={describedBy} disabled={busy !== null} onClick={() => onRetry(link.linkId)}>
      {retrying ? t('popup_retrying_now') : t('popup_retry')}
    </button>
  );
}

/**
 * A link's history, asked for when opened and again with every refresh of the overview while
 * open (the overview's `link` is new each time), so it follows the sync.
 */
function LinkHistory({ link, t }: { link: PopupLink; t: Translate }) {
  const [open, setOpen] = useState(false);
  const [history, setHistory] = useState<HistoryView | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    let current = true;
    request('popup/history', { linkId: link.linkId }).then(
      (fresh) => current && (setHistory(fresh), setFailure(null)),
      (error: unknown) => current && setFailure(error),
    );
    return () => {
      current = false;
    };
  }, [open, link]);
  const panelId = `history-${link.linkId}`;
  return (
    <div class="history">
      <button type="button" class="link-button" data-partner-sync="popup-history" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen(!open)}>
        {t('popup_history')}
      </button>
      {open && (
        <div id={panelId} ref={panel} data-partner-sync="popup-history-panel">
          {failure !== null && <p class="problem" role="alert"><ProblemText problem={problemOf(failure, t)} /></p>}
          {history && (
            <>
              <button type="button" data-partner-sync="popup-history-export" onClick={() => panel.current && downloadText(panel.current, history.csv.fileName, history.csv.text)}>
                {t('popup_history_export')}
              </button>
              {history.entries.length === 0 ? (
                <p class="empty">{t('popup_history_empty')}</p>
              ) : (
                <ol class="entries">
                  {history.entries.map((entry, index) => (
                    <li key={`${entry.at}-${index}`} data-partner-sync="history-entry" data-event={entry.event}>
                      <time dateTime={new Date(entry.at).toISOString()}>{entry.atText}</time> {entry.text}
                      {entry.detail && <span class="detail"> ({entry.detail})</span>}
                    </li>
                  ))}
                </ol>
              )}
            </>
          )}
        </div>
      )}
    </div>
  );
}

function LinkItem(props: LinkProps) {
  const { link, index, t } = props;
  const meta = [
    link.lastSync ? t('popup_last_sync', [link.lastSync.text]) : t('popup_never_synced'),
    t('popup_queued', [String(link.queued)]),
    t('popup_failed_count', [String(link.failed.length)]),
  ];
  return (
    <li class="link" data-partner-sync="popup-link" data-state={link.state} data-link-id={link.linkId}>
      <h3>
        <span class="partner">{link.partnerName}</span> <span class={`state state-${link.state}`}>{t(STATE_KEYS[link.state])}</span>
      </h3>
      <p class="orders">
        {link.localUrl ? (
          <a href={link.localUrl} target="_blank" rel="noreferrer">{t('popup_order', [link.localOrderId])}</a>
        ) : (
          t('popup_order', [link.localOrderId])
        )}
        {link.remoteOrderId && link.remoteUrl && (
          <>
            {' → '}
            <a href={link.remoteUrl} target="_blank" rel="noreferrer">{t('popup_remote_process', [link.remoteOrderId])}</a>
          </>
        )}
      </p>
      {link.remoteStage && (
        <p class="stage" data-partner-sync="popup-remote-stage" data-remote-status-id={link.remoteStage.id}>
          {t('popup_partner_stage', [link.remoteStage.name, link.remoteStage.sinceText])}
        </p>
      )}
      <p class="meta" data-partner-sync="popup-last-sync">{meta.join(' · ')}</p>
      {link.notice && (
        <p class="problem" data-partner-sync="popup-notice">
          <ProblemText problem={link.notice} />
        </p>
      )}
      {link.pollProblem && (
        <div class="problem" data-partner-sync="popup-poll-problem">
          <p id={`poll-${index}`}>
            {t('popup_poll_problem')} <ProblemText problem={link.pollProblem} />
            {link.pollProblem.retrying && ` — ${t('popup_retrying')}`}
          </p>
          {!link.pollProblem.retrying && <RetryButton {...props} describedBy={`poll-${index}`} />}
        </div>
      )}
      {link.failed.length > 0 && (
        <ul class="failed">
          {link.failed.map((item, itemIndex) => (
            <li key={itemIndex} class="problem" data-partner-sync="popup-failed" data-kind={item.kind}>
              <p id={`failed-${index}-${itemIndex}`}>
                <strong>{t(ITEM_KEYS[item.kind])}</strong>
                {item.excerpt && <q class="excerpt">{item.excerpt}</q>}
                <span class="reason">
                  <ProblemText problem={item} />
                </span>
              </p>
              <RetryButton {...props} describedBy={`failed-${index}-${itemIndex}`} />
            </li>
          ))}
        </ul>
      )}
      <LinkHistory link={link} t={t} />
    </li>
  );
}

function PageProblem({ problem, t }: { problem: PopupPageProblem; t: Translate }) {
  const order = t('popup_order', [problem.localOrderId]);
  return (
    <li class="problem" data-partner-sync="popup-page-problem" data-order-id={problem.localOrderId}>
      <p>{problem.localUrl ? <a href={problem.localUrl} target="_blank" rel="noreferrer">{order}</a> : order}</p>
      <ul>
        {problem.missing.map(({ anchor, text }) => <li key={anchor} data-anchor={anchor}>{text}</li>)}
      </ul>
    </li>
  );
}

export function Popup() {
  const [overview, setOverview] = useState<PopupOverview | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [notice, setNotice] = useState<MessageKey | null>(null);
  // Kept raw and worded at render, so it follows the language the overview brings.
  const [failure, setFailure] = useState<unknown>(null);
  // Bumped by every action, so a refresh that started before one cannot undo what it showed.
  const generation = useRef(0);
  const language: Language = overview?.language ?? resolveLanguage('auto', uiLanguage());
  const t: Translate = (key, substitutions) => translate(language, key, substitutions);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  // "Syncing…" stays until an overview shows every linked order read.
  const show = (fresh: PopupOverview) => {
    setOverview(fresh);
    setNotice((said) => (said === 'popup_syncing' && fresh.totals.checking === 0 ? 'popup_synced' : said));
  };

  useEffect(() => {
    let inFlight = false;
    const refresh = async () => {
      if (inFlight) return;
      inFlight = true;
      const started = generation.current;
      try {
        const fresh = await request('popup/overview', {});
        if (started === generation.current) {
          show(fresh);
          setFailure(null);
        }
      } catch (error) {
        if (started === generation.current) setFailure(error);
      } finally {
        inFlight = false;
      }
    };
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const act = async (what: Busy, action: () => Promise<PopupOverview>, done: MessageKey) => {
    generation.current += 1;
    setBusy(what);
    setNotice(null);
    try {
      const fresh = await action();
      setNotice(done);
      show(fresh);
      setFailure(null);
    } catch (error) {
      setFailure(error);
    } finally {
      generation.current += 1;
      setBusy(null);
    }
  };
  const syncNow = () => void act({ sync: true }, () => request('popup/sync-now', {}), 'popup_syncing');
  const retry = (linkId: string) => void act({ retry: linkId }, () => request('popup/retry', { linkId }), 'popup_retried');
  const syncing = busy !== null && 'sync' in busy;

  return (
    <main aria-busy={busy !== null}>
      <header>
        <h1>{t('popup_title')}</h1>
        <button type="button" class="primary" data-partner-sync="sync-now" disabled={busy !== null} onClick={syncNow}>
          {syncing ? t('popup_syncing') : t('popup_sync_now')}
        </button>
      </header>
      <p class="status" role="status" aria-live="polite">
        {overview
          ? [
              t('popup_summary', [String(overview.totals.links), String(overview.totals.queued), String(overview.totals.waiting)]),
              notice ? t(notice) : '',
            ].filter(Boolean).join(' ')
          : t('popup_loading')}
      </p>
      {overview?.workerProblem && (
        <p class="problem" role="alert" data-partner-sync="popup-worker-problem" data-stage={overview.workerProblem.stage}>
          {t(overview.workerProblem.stage === 'set-up' ? 'popup_worker_setup_failed' : 'popup_worker_sync_failed')}{' '}
          <ProblemText problem={overview.workerProblem} />
        </p>
      )}
      {failure !== null && (
        <p class="problem" role="alert" data-partner-sync="popup-error">
          <ProblemText problem={problemOf(failure, t)} />
        </p>
      )}
      {overview && overview.pageProblems.length > 0 && (
        <section aria-labelledby="page-problems-heading">
          <h2 id="page-problems-heading">{t('popup_page_problems_heading')}</h2>
          <ul class="page-problems">
            {overview.pageProblems.map((problem) => <PageProblem key={problem.localOrderId} problem={problem} t={t} />)}
          </ul>
        </section>
      )}
      {overview && (
        <section aria-labelledby="links-heading">
          <h2 id="links-heading">{t('popup_links_heading')}</h2>
          {overview.links.length === 0 ? (
            <p class="empty" data-partner-sync="popup-empty">{t('popup_empty')}</p>
          ) : (
            <ul class="links">
              {overview.links.map((link, index) => (
                <LinkItem key={link.linkId} link={link} index={index} t={t} busy={busy} onRetry={retry} />
              ))}
            </ul>
          )}
        </section>
      )}
      <footer>
        <button type="button" class="link-button" data-partner-sync="open-options" onClick={() => void openOptionsPage()}>
          {t('popup_open_options')}
        </button>
      </footer>
    </main>
  );
}
