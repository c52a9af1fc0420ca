// What the form holds while the user types: every input as text, so that "12a" can be shown and
// refused. `fromDraft` turns it into a settings file, which goes through the same schema as an
// imported file: the form has no validation rules of its own.
import type { LanguagePreference } from '../i18n';
import type { PartnerSettings, Settings } from '../settings/types';

export interface BoxDraft {
  url: string;
  login: string;
  restApiPassword: string;
}

export interface OwnBoxDraft extends BoxDraft {
  companyName: string;
}

/** A row of a partner's field map or stage map, as typed. */
export interface MapRowDraft {
  key: number;
  from: string;
  to: string;
}

/** The partner's fields that are text in the settings as in the form: copied as they are. */
type PartnerText = Pick<PartnerSettings, 'id' | 'name' | 'boxUrl' | 'login' | 'restApiPassword' | 'assigneeEmail' | 'syncOnlyClientVisibleComments' | 'syncClient'>;

const partnerText = (p: PartnerText): PartnerText => ({
  id: p.id,
  name: p.name,
  boxUrl: p.boxUrl,
  login: p.login,
  restApiPassword: p.restApiPassword,
  assigneeEmail: p.assigneeEmail,
  syncOnlyClientVisibleComments: p.syncOnlyClientVisibleComments,
  syncClient: p.syncClient,
});

export interface PartnerDraft extends PartnerText {
  /** Stable across edits and removals of other partners, for rendering and connection reports. */
  key: number;
  workflowId: string;
  statusId: string;
  fieldMap: MapRowDraft[];
  stageMap: MapRowDraft[];
  autoSend: { workflowId: string; statusId: string } | null;
}

export interface Draft {
  ownBox: OwnBoxDraft;
  partners: PartnerDraft[];
  preferences: { shareByDefault: boolean; holdSeconds: string; language: LanguagePreference };
}

let lastKey = 0;
export const nextKey = (): number => ++lastKey;

const idText = (id: number | undefined): string => (id === undefined ? '' : String(id));

function partnerDraft(partner: PartnerSettings): PartnerDraft {
  return {
    key: nextKey(),
    ...partnerText(partner),
    workflowId: idText(partner.workflowId),
    statusId: idText(partner.statusId),
    fieldMap: (partner.fieldMap ?? []).map((row) => ({ key: nextKey(), ...row })),
    stageMap: (partner.stageMap ?? []).map((row) => ({ key: nextKey(), from: idText(row.from), to: idText(row.to) })),
    autoSend: partner.autoSend ? { workflowId: idText(partner.autoSend.workflowId), statusId: idText(partner.autoSend.statusId) } : null,
  };
}

export function toDraft(settings: Settings): Draft {
  return {
    ownBox: settings.ownBox ? { ...settings.ownBox, companyName: settings.ownBox.companyName ?? '' } : { url: '', login: '', restApiPassword: '', companyName: '' },
    partners: settings.partners.filter((partner) => !partner.managed).map(partnerDraft),
    preferences: { ...settings.preferences, holdSeconds: String(settings.preferences.holdSeconds) },
  };
}

/** A number when the text is one, else the text itself, for the schema to refuse with its message. */
function numberOrText(value: string): number | string {
  const number = Number(value);
  return value.trim() !== '' && Number.isFinite(number) ? number : value;
}

const blankToUndefined = (value: string): string | undefined => (value.trim() === '' ? undefined : value);

/** The settings file the form stands for. */
export function fromDraft(draft: Draft): unknown {
  const { ownBox } = draft;
  const ownBoxBlank = !ownBox.url.trim() && !ownBox.login.trim() && !ownBox.restApiPassword && !ownBox.companyName.trim();
  return {
    version: 1,
    ownBox: ownBoxBlank ? null : { ...ownBox, companyName: blankToUndefined(ownBox.companyName) },
    partners: draft.partners.map((partner) => ({
      ...partnerText(partner),
      workflowId: partner.workflowId,
      statusId: blankToUndefined(partner.statusId),
      fieldMap: partner.fieldMap.length > 0 ? partner.fieldMap.map(({ from, to }) => ({ from, to })) : undefined,
      stageMap: partner.stageMap.length > 0 ? partner.stageMap.map(({ from, to }) => ({ from: numberOrText(from), to: numberOrText(to) })) : undefined,
      autoSend: partner.autoSend ?? undefined,
    })),
    preferences: { ...draft.preferences, holdSeconds: numberOrText(draft.preferences.holdSeconds) },
  };
}

/** The first `partner-N` id no partner uses. */
function freeId(base: string, taken: readonly string[]): string {
  for (let n = 1; ; n++) {
    const id = `${base}-${n}`;
    if (!taken.includes(id)) return id;
  }
}

export function newPartner(taken: readonly string[]): PartnerDraft {
  return {
    key: nextKey(),
    id: freeId('partner', taken),
    name: '',
    boxUrl: '',
    login: '',
    restApiPassword: '',
    assigneeEmail: '',
    workflowId: '',
    statusId: '',
    // The vendor's advice: only comments the client cabinet shows reach the partner.
    syncOnlyClientVisibleComments: true,
    syncClient: false,
    fieldMap: [],
    stageMap: [],
    autoSend: null,
  };
}

export function duplicatePartner(partner: PartnerDraft, taken: readonly string[], nameSuffix: string): PartnerDraft {
  return {
    ...partner,
    key: nextKey(),
    id: freeId(partner.id || 'partner', taken),
    name: `${partner.name} ${nameSuffix}`.trim(),
    fieldMap: partner.fieldMap.map((row) => ({ ...row, key: nextKey() })),
    stageMap: partner.stageMap.map((row) => ({ ...row, key: nextKey() })),
    autoSend: partner.autoSend && { ...partner.autoSend },
  };
}
