// One partner of the user's own list: its box, who gets the process and where, what is synced,
// the field mapping, the stage mapping, and the auto-send rule.
import type { ConnectionReport } from '../messages/protocol';
import { ConnectionTest, type ConnectionState } from './ConnectionTest';
import { nextKey, type MapRowDraft, type PartnerDraft } from './draft';
import { CheckField, LoginFields, TextField, type IssueLookup } from './fields';
import { ProcessPicker } from './ProcessPicker';
import { FIELD_LABELS, useT } from './text';

interface Props {
  partner: PartnerDraft;
  index: number;
  issues: IssueLookup;
  onChange: (patch: Partial<PartnerDraft>) => void;
  onDuplicate: () => void;
  onRemove: () => void;
  connection: ConnectionState | undefined;
  onTest: (testWrite: boolean) => void;
  /** Processes of the user's own box, for the auto-send rule. */
  ownWorkflows: ConnectionReport['workflows'] | undefined;
}

/** The words of each map: its title and hint, its two columns, its row buttons. */
const MAPS = {
  fieldMap: { hint: 'options_field_map_hint', from: FIELD_LABELS.from, to: FIELD_LABELS.to, add: 'options_add_row', remove: 'options_remove_row' },
  stageMap: { hint: 'options_stage_map_hint', from: FIELD_LABELS['stageMap.from'], to: FIELD_LABELS['stageMap.to'], add: 'options_add_stage_row', remove: 'options_remove_stage_row' },
} as const;

/** The field map or the stage map: rows of "from → to", added and removed by the user. */
function MapRows({ map, partner, index, issues, onChange }: Pick<Props, 'partner' | 'index' | 'issues' | 'onChange'> & { map: keyof typeof MAPS }) {
  const t = useT();
  const words = MAPS[map];
  const rows = partner[map];
  const setRows = (next: MapRowDraft[]) => onChange({ [map]: next });
  const setRow = (key: number, patch: { from?: string; to?: string }) => setRows(rows.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  return (
    <fieldset class="group" data-map={map}>
      <legend>{t(FIELD_LABELS[map])}</legend>
      <p class="hint">{t(words.hint)}</p>
      {rows.map((row, rowIndex) => {
        const path = ['partners', index, map, rowIndex];
        return (
          <div class="map-row" role="group" aria-label={t('options_row_n', [String(rowIndex + 1)])} key={row.key}>
            <TextField path={[...path, 'from']} label={t(words.from)} issues={issues} value={row.from} required onInput={(from) => setRow(row.key, { from })} />
            <span class="arrow" aria-hidden="true">→</span>
            <TextField path={[...path, 'to']} label={t(words.to)} issues={issues} value={row.to} required onInput={(to) => setRow(row.key, { to })} />
            <button type="button" class="secondary" onClick={() => setRows(rows.filter((item) => item.key !== row.key))}>
              {t(words.remove, [String(rowIndex + 1)])}
            </button>
          </div>
        );
      })}
      <button type="button" class="secondary" onClick={() => setRows([...rows, { key: nextKey(), from: '', to: '' }])}>
        {t(words.add)}
      </button>
    </fieldset>
  );
}

export function PartnerEditor({ partner, index, issues, onChange, onDuplicate, onRemove, connection, onTest, ownWorkflows }: Props) {
  const t = useT();
  const path = ['partners', index];
  const title = partner.name.trim() || t('options_partner_n', [String(index + 1)]);
  const partnerWorkflows = connection?.state === 'done' ? connection.report.workflows : undefined;
  return (
    <fieldset class="card partner" data-partner={partner.id}>
      <legend>{title}</legend>
      <div class="pair">
        <TextField path={[...path, 'name']} label={t(FIELD_LABELS.name)} issues={issues} value={partner.name} required onInput={(name) => onChange({ name })} />
        <TextField
          path={[...path, 'id']}
          label={t(FIELD_LABELS.id)}
          hint={t('options_partner_id_hint')}
          issues={issues}
          value={partner.id}
          required
          onInput={(id) => onChange({ id })}
        />
      </div>
      <TextField
        path={[...path, 'boxUrl']}
        label={t(FIELD_LABELS.boxUrl)}
        hint={t('options_box_url_hint')}
        issues={issues}
        value={partner.boxUrl}
        inputMode="url"
        required
        onInput={(boxUrl) => onChange({ boxUrl })}
      />
      <LoginFields path={path} issues={issues} login={partner.login} password={partner.restApiPassword} onChange={onChange} own={false} />
      <TextField
        path={[...path, 'assigneeEmail']}
        label={t(FIELD_LABELS.assigneeEmail)}
        hint={t('options_assignee_email_hint')}
        issues={issues}
        value={partner.assigneeEmail}
        inputMode="email"
        required
        onInput={(assigneeEmail) => onChange({ assigneeEmail })}
      />
      <ProcessPicker
        path={path}
        workflowId={partner.workflowId}
        statusId={partner.statusId}
        onChange={onChange}
        workflows={partnerWorkflows}
        issues={issues}
        workflowLabel={t(FIELD_LABELS.workflowId)}
        statusLabel={t(FIELD_LABELS.statusId)}
        statusHint={t('options_status_hint')}
        statusOptional
      />
      <CheckField
        path={[...path, 'syncOnlyClientVisibleComments']}
        label={t(FIELD_LABELS.syncOnlyClientVisibleComments)}
        hint={t('options_visible_only_hint')}
        issues={issues}
        checked={partner.syncOnlyClientVisibleComments}
        onChange={(syncOnlyClientVisibleComments) => onChange({ syncOnlyClientVisibleComments })}
      />
      <CheckField
        path={[...path, 'syncClient']}
        label={t(FIELD_LABELS.syncClient)}
        hint={t('options_sync_client_hint')}
        issues={issues}
        checked={partner.syncClient}
        onChange={(syncClient) => onChange({ syncClient })}
      />
      <MapRows map="fieldMap" partner={partner} index={index} issues={issues} onChange={onChange} />
      <MapRows map="stageMap" partner={partner} index={index} issues={issues} onChange={onChange} />
      <fieldset class="group">
        <legend>{t(FIELD_LABELS.autoSend)}</legend>
        <CheckField
          path={[...path, 'autoSend']}
          label={t('options_auto_send_on')}
          hint={t('options_auto_send_hint')}
          issues={issues}
          checked={partner.autoSend !== null}
          onChange={(on) => onChange({ autoSend: on ? { workflowId: '', statusId: '' } : null })}
        />
        {partner.autoSend && (
          <ProcessPicker
            path={[...path, 'autoSend']}
            workflowId={partner.autoSend.workflowId}
            statusId={partner.autoSend.statusId}
            onChange={(patch) => partner.autoSend && onChange({ autoSend: { ...partner.autoSend, ...patch } })}
            workflows={ownWorkflows}
            issues={issues}
            workflowLabel={t('options_auto_send_workflow')}
            statusLabel={t('options_auto_send_status')}
            statusHint={ownWorkflows ? undefined : t('options_auto_send_lists_hint')}
            statusOptional={false}
          />
        )}
      </fieldset>
      <ConnectionTest state={connection} onTest={onTest} partnerBox />
      <div class="actions">
        <button type="button" class="secondary" onClick={onDuplicate}>
          {t('options_duplicate_partner', [title])}
        </button>
        <button type="button" class="danger" onClick={onRemove}>
          {t('options_remove_partner', [title])}
        </button>
      </div>
    </fieldset>
  );
}
