// The page's language, and how an issue's path is said to the user ("Partner 2 (Buyer B) › Box
// address"), with the same labels as the form's fields.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { translate, type Language, type MessageKey } from '../i18n';
import type { SettingsIssue } from '../settings/issues';

export const LanguageContext = createContext<Language>('en');

export type Translate = (key: MessageKey, substitutions?: readonly string[]) => string;

export function useT(): Translate {
  const language = useContext(LanguageContext);
  return (key, substitutions) => translate(language, key, substitutions);
}

/** The label of each settings field, shared by the form and the error lists. */
export const FIELD_LABELS = {
  version: 'options_file_version',
  ownBox: 'options_own_box',
  url: 'options_box_url',
  boxUrl: 'options_box_url',
  login: 'options_login',
  restApiPassword: 'options_password',
  partners: 'options_partners',
  id: 'options_partner_id',
  name: 'options_partner_name',
  assigneeEmail: 'options_assignee_email',
  workflowId: 'options_workflow_id',
  statusId: 'options_status_id',
  syncOnlyClientVisibleComments: 'options_visible_only',
  syncClient: 'options_sync_client',
  companyName: 'options_company_name',
  fieldMap: 'options_field_map',
  from: 'options_field_map_from',
  to: 'options_field_map_to',
  stageMap: 'options_stage_map',
  'stageMap.from': 'options_stage_map_from',
  'stageMap.to': 'options_stage_map_to',
  autoSend: 'options_auto_send',
  preferences: 'options_preferences',
  shareByDefault: 'options_share_by_default',
  holdSeconds: 'options_hold_seconds',
  language: 'options_language',
} as const satisfies Record<string, MessageKey>;

const labelOf = (segment: string | number): MessageKey | undefined =>
  Object.hasOwn(FIELD_LABELS, segment) ? FIELD_LABELS[segment as keyof typeof FIELD_LABELS] : undefined;

/** Where an issue is, in words; `file` gives partner names. */
export function issueLocation(path: SettingsIssue['path'], t: Translate, file: unknown): string {
  const parts: string[] = [];
  let node: unknown = file;
  path.forEach((segment, index) => {
    const parent = path[index - 1];
    node = typeof node === 'object' && node !== null ? (node as Record<string | number, unknown>)[segment] : undefined;
    if (typeof segment === 'number') {
      const name = typeof node === 'object' && node !== null ? (node as { name?: unknown }).name : undefined;
      if (parent === 'partners') {
        parts.push(typeof name === 'string' && name.trim() ? t('options_partner_named', [String(segment + 1), name.trim()]) : t('options_partner_n', [String(segment + 1)]));
      } else {
        parts.push(t('options_row_n', [String(segment + 1)]));
      }
      return;
    }
    if (typeof path[index + 1] === 'number') return; // "partners" is said by "Partner 2"
    // A stage map's columns are stages, not fields.
    const label = labelOf(path[index - 2] === 'stageMap' ? `stageMap.${segment}` : segment);
    parts.push(label ? t(label) : `"${segment}"`);
  });
  return parts.join(' › ');
}

export function issueText(issue: SettingsIssue, t: Translate): string {
  return t(issue.messageKey, issue.substitutions);
}

/** The id of the form control an issue's path belongs to. */
export const fieldId = (path: SettingsIssue['path']): string => `f-${path.join('-')}`;
