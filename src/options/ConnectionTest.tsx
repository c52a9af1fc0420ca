// The "Test connection" button of one box and what the box answered, call by call.
import { KeyedError } from '../errors/keyed-error';
import type { MessageKey } from '../i18n';
import type { ConnectionReport } from '../messages/protocol';
import { useT } from './text';

export type ConnectionState =
  | { state: 'running' }
  | { state: 'done'; report: ConnectionReport }
  | { state: 'failed'; messageKey: MessageKey; substitutions?: string[]; detail?: string };

/** A test that could not run: the worker's or the address check's key, else "the test failed" and what was thrown. */
export function failure(error: unknown): ConnectionState {
  return error instanceof KeyedError
    ? { state: 'failed', messageKey: error.messageKey, ...(error.detail ? { detail: error.detail } : {}) }
    : { state: 'failed', messageKey: 'options_test_failed', detail: String(error) };
}

function Report({ report }: { report: ConnectionReport }) {
  const t = useT();
  const passed = report.checks.filter((check) => check.ok).length;
  return (
    <>
      <p class={passed === report.checks.length ? 'good' : 'bad'}>{t('options_checks_summary', [String(passed), String(report.checks.length), report.origin])}</p>
      <ul class="checks">
        {report.checks.map((check) => (
          <li key={check.call} data-check={check.call} data-state={check.ok ? 'ok' : 'failed'} class={check.ok ? 'good' : 'bad'}>
            <span aria-hidden="true">{check.ok ? '✓ ' : '✗ '}</span>
            <code>{check.endpoint}</code> ({t(check.tag === 'documented' ? 'options_tag_documented' : 'options_tag_assumed')}):{' '}
            {check.ok ? t('options_check_ok') : t(check.messageKey ?? 'options_check_failed')}
            {check.message && <span class="box-said"> {t('options_box_said', [check.message])}</span>}
          </li>
        ))}
      </ul>
      {report.assignee && <p class="good">{t('options_assignee_found', [report.assignee.name, report.assignee.id])}</p>}
    </>
  );
}

export function ConnectionTest({ state, onTest }: { state: ConnectionState | undefined; onTest: () => void }) {
  const t = useT();
  return (
    <div class="connection">
      <button type="button" onClick={onTest} disabled={state?.state === 'running'}>
        {t('options_test_connection')}
      </button>
      <div class="connection-result" role="status" aria-live="polite">
        {state?.state === 'running' && <p>{t('options_testing')}</p>}
        {state?.state === 'failed' && (
          <p class="bad">
            {t(state.messageKey, state.substitutions)}
            {state.detail && <span class="box-said"> {state.detail}</span>}
          </p>
        )}
        {state?.state === 'done' && <Report report={state.report} />}
      </div>
    </div>
  );
}
