// The "Test connection" button of one box and what the box answered, call by call, with how
// its API reads requests (the dialect discovery found) and what will not work where it found none.
import { useState } from 'preact/hooks';
import { KeyedError } from '../errors/keyed-error';
import type { MessageKey } from '../i18n';
import type { ConnectionReport } from '../messages/protocol';
import type { Capability, CapabilityFinding, DialectDiscovery } from '../onebox/types';
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

/** Each capability's name, what is lost without it, and (where it differs from "too few orders") why it went unchecked. */
const CAPABILITY_TEXT: Record<Capability, { label: MessageKey; missing: MessageKey; unchecked?: MessageKey }> = {
  readShape: { label: 'options_cap_read', missing: 'options_cap_read_missing' },
  sort: { label: 'options_cap_sort', missing: 'options_cap_sort_missing' },
  commentsRead: { label: 'options_cap_comments_read', missing: 'options_cap_comments_read_missing' },
  commentsBatch: { label: 'options_cap_comments_batch', missing: 'options_cap_comments_batch_missing', unchecked: 'options_cap_comments_batch_unchecked' },
  commentsWrite: { label: 'options_cap_comments_write', missing: 'options_cap_comments_write_missing' },
  employee: { label: 'options_cap_employee', missing: 'options_cap_employee_missing' },
  assignee: { label: 'options_cap_assignee', missing: 'options_cap_assignee_missing', unchecked: 'options_cap_assignee_unchecked' },
  udateRead: { label: 'options_cap_udate_read', missing: 'options_cap_udate_read_missing' },
  changes: { label: 'options_cap_changes', missing: 'options_cap_changes_missing', unchecked: 'options_cap_changes_unchecked' },
  udateSort: { label: 'options_cap_udate_sort', missing: 'options_cap_udate_sort_missing', unchecked: 'options_cap_udate_sort_unchecked' },
};

function findingState(finding: CapabilityFinding): 'works' | 'missing' | 'unchecked' {
  return finding.works === null ? 'unchecked' : finding.works ? 'works' : 'missing';
}

/** `sendsHere`: orders are sent into this box (a partner's), so whether it takes the assignee matters. */
function Dialect({ discovery, sendsHere }: { discovery: DialectDiscovery | null; sendsHere: boolean }) {
  const t = useT();
  if (!discovery) return <p class="bad" data-dialect="unknown">{t('options_dialect_unknown')}</p>;
  const line = (finding: CapabilityFinding): string => {
    const text = CAPABILITY_TEXT[finding.capability];
    const label = t(text.label);
    if (finding.works === null) return t(text.unchecked ?? 'options_cap_unchecked', [label]);
    if (!finding.works) return t(text.missing, [label]) + (finding.detail ? ` ${t('options_box_said', [finding.detail])}` : '');
    return t(finding.inferred ? 'options_cap_inferred' : 'options_cap_works', [label, finding.shape ?? '']);
  };
  return (
    <>
      <p>{t('options_dialect_heading')}</p>
      <ul class="dialect">
        {discovery.findings.filter((finding) => sendsHere || finding.capability !== 'assignee').map((finding) => (
          <li key={finding.capability} data-capability={finding.capability} data-state={findingState(finding)} class={finding.works === false ? 'bad' : 'good'}>
            {line(finding)}
          </li>
        ))}
      </ul>
    </>
  );
}

function Report({ report, sendsHere }: { report: ConnectionReport; sendsHere: boolean }) {
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
      <Dialect discovery={report.discovery} sendsHere={sendsHere} />
    </>
  );
}

/**
 * `partnerBox`: orders are sent into this box, so it has a business process to write the test
 * process into and the user may allow a test write (each test asks again, nothing is saved),
 * and whether it takes the assignee is listed.
 */
export function ConnectionTest({ state, onTest, partnerBox = false }: { state: ConnectionState | undefined; onTest: (testWrite: boolean) => void; partnerBox?: boolean }) {
  const t = useT();
  const [testWrite, setTestWrite] = useState(false);
  return (
    <div class="connection">
      {partnerBox && (
        <label class="test-write">
          <input type="checkbox" name="test-write" checked={testWrite} onChange={(event) => setTestWrite(event.currentTarget.checked)} />
          <span>{t('options_test_write')}</span>
        </label>
      )}
      <button type="button" onClick={() => onTest(partnerBox && testWrite)} disabled={state?.state === 'running'}>
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
        {state?.state === 'done' && <Report report={state.report} sendsHere={partnerBox} />}
      </div>
    </div>
  );
}
