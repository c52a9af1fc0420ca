// A business process and a stage, by id. Once "Test connection" has listed the box's processes
// and stages, a list beside each id lets the user pick by name; typing an id stays possible.
import type { ConnectionReport } from '../messages/protocol';
import type { SettingsIssue } from '../settings/issues';
import { TextField, type IssueLookup } from './fields';
import { useT } from './text';

type Workflows = ConnectionReport['workflows'];

interface Props {
  /** Path of the object holding `workflowId` and `statusId`. */
  path: SettingsIssue['path'];
  workflowId: string;
  statusId: string;
  onChange: (patch: { workflowId?: string; statusId?: string }) => void;
  workflows: Workflows | undefined;
  issues: IssueLookup;
  workflowLabel: string;
  statusLabel: string;
  statusHint?: string;
  /** An empty stage is allowed and means the process's start stage. */
  statusOptional: boolean;
}

function Picker({ label, value, options, empty, onPick }: { label: string; value: string; options: { id: string; label: string }[]; empty: string; onPick: (id: string) => void }) {
  const known = options.some((option) => option.id === value);
  return (
    <select class="picker" aria-label={label} value={known ? value : ''} onChange={(event) => onPick(event.currentTarget.value)}>
      <option value="">{empty}</option>
      {options.map((option) => (
        <option key={option.id} value={option.id}>
          {option.label}
        </option>
      ))}
    </select>
  );
}

export function ProcessPicker({ path, workflowId, statusId, onChange, workflows, issues, workflowLabel, statusLabel, statusHint, statusOptional }: Props) {
  const t = useT();
  const workflow = workflows?.find((item) => item.id === workflowId.trim());
  return (
    <div class="pair">
      <TextField
        path={[...path, 'workflowId']}
        label={workflowLabel}
        issues={issues}
        value={workflowId}
        inputMode="numeric"
        required
        onInput={(value) => onChange({ workflowId: value })}
        aside={
          workflows &&
          workflows.length > 0 && (
            <Picker
              label={t('options_pick_workflow', [workflowLabel])}
              value={workflowId.trim()}
              empty={t('options_pick_from_box')}
              options={workflows.map((item) => ({ id: item.id, label: `${item.name} (${item.id})` }))}
              // Stages belong to one process: a new process starts without a stage.
              onPick={(id) => onChange({ workflowId: id, statusId: '' })}
            />
          )
        }
      />
      <TextField
        path={[...path, 'statusId']}
        label={statusLabel}
        hint={statusHint}
        issues={issues}
        value={statusId}
        inputMode="numeric"
        required={!statusOptional}
        onInput={(value) => onChange({ statusId: value })}
        aside={
          workflow &&
          workflow.statuses.length > 0 && (
            <Picker
              label={t('options_pick_status', [statusLabel])}
              value={statusId.trim()}
              empty={statusOptional ? t('options_start_stage') : t('options_pick_from_box')}
              options={workflow.statuses.map((status) => ({
                id: status.id,
                label: status.isStart ? t('options_stage_start_mark', [status.name, status.id]) : `${status.name} (${status.id})`,
              }))}
              onPick={(id) => onChange({ statusId: id })}
            />
          )
        }
      />
    </div>
  );
}
