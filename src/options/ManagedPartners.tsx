// Partners the company's administrator set through policy (`storage.managed`): shown, testable,
// not editable here.
import { Fragment } from 'preact';
import type { SettingsIssue } from '../settings/issues';
import type { PartnerSettings } from '../settings/types';
import { ConnectionTest, type ConnectionState } from './ConnectionTest';
import { IssueList } from './IssueList';
import { FIELD_LABELS, useT } from './text';

interface Props {
  partners: PartnerSettings[];
  issues: SettingsIssue[];
  /** The policy as read, for naming partners in the issues. */
  policy: unknown;
  connections: Record<string, ConnectionState>;
  onTest: (partner: PartnerSettings, testWrite: boolean) => void;
}

export const managedKey = (partner: PartnerSettings): string => `managed:${partner.id}`;

export function ManagedPartners({ partners, issues, policy, connections, onTest }: Props) {
  const t = useT();
  if (partners.length === 0 && issues.length === 0) return null;
  const yesNo = (value: boolean) => t(value ? 'options_yes' : 'options_no');
  return (
    <section class="managed" aria-labelledby="managed-title">
      <h3 id="managed-title">{t('options_managed_title')}</h3>
      <p class="hint">{t('options_managed_hint')}</p>
      {issues.length > 0 && (
        <div class="notice bad">
          <p>{t('options_managed_issues')}</p>
          <IssueList issues={issues} file={policy} />
        </div>
      )}
      {partners.map((partner) => (
        <article class="card" key={partner.id} data-partner={partner.id} aria-label={partner.name}>
          <h4>{partner.name}</h4>
          <dl>
            <dt>{t(FIELD_LABELS.id)}</dt>
            <dd>{partner.id}</dd>
            <dt>{t(FIELD_LABELS.boxUrl)}</dt>
            <dd>{partner.boxUrl}</dd>
            <dt>{t(FIELD_LABELS.login)}</dt>
            <dd>{partner.login}</dd>
            <dt>{t(FIELD_LABELS.assigneeEmail)}</dt>
            <dd>{partner.assigneeEmail}</dd>
            <dt>{t(FIELD_LABELS.workflowId)}</dt>
            <dd>{partner.workflowId}</dd>
            <dt>{t(FIELD_LABELS.statusId)}</dt>
            <dd>{partner.statusId ?? t('options_start_stage')}</dd>
            <dt>{t(FIELD_LABELS.syncOnlyClientVisibleComments)}</dt>
            <dd>{yesNo(partner.syncOnlyClientVisibleComments)}</dd>
            <dt>{t(FIELD_LABELS.syncClient)}</dt>
            <dd>{yesNo(partner.syncClient)}</dd>
            {(['fieldMap', 'stageMap'] as const).map((map) => {
              const rows = partner[map] ?? [];
              return rows.length > 0 && (
                <Fragment key={map}>
                  <dt>{t(FIELD_LABELS[map])}</dt>
                  <dd>{rows.map((row) => `${row.from} → ${row.to}`).join(', ')}</dd>
                </Fragment>
              );
            })}
            {partner.autoSend && (
              <>
                <dt>{t(FIELD_LABELS.autoSend)}</dt>
                <dd>{t('options_auto_send_summary', [String(partner.autoSend.workflowId), String(partner.autoSend.statusId)])}</dd>
              </>
            )}
          </dl>
          <ConnectionTest state={connections[managedKey(partner)]} onTest={(testWrite) => onTest(partner, testWrite)} partnerBox />
        </article>
      ))}
    </section>
  );
}
