// The settings file of design.md, version 1, as the rest of the code sees it after validation.
export interface BoxSettings {
  url: string;
  login: string;
  restApiPassword: string;
}

/** The own box, and the company name our comments carry in partners' boxes. */
export interface OwnBoxSettings extends BoxSettings {
  /** "Name (Company): text" on the partner's side; the box's host when not set. */
  companyName?: string;
}

export interface FieldMapping {
  from: string;
  to: string;
}

/** When the partner's process reaches stage `from` (the partner's id), the own order moves to stage `to`. */
export interface StageMapping {
  from: number;
  to: number;
}

export interface PartnerSettings {
  id: string;
  name: string;
  boxUrl: string;
  login: string;
  restApiPassword: string;
  assigneeEmail: string;
  workflowId: number;
  statusId?: number;
  syncOnlyClientVisibleComments: boolean;
  syncClient: boolean;
  fieldMap?: FieldMapping[];
  stageMap?: StageMapping[];
  autoSend?: { workflowId: number; statusId: number };
  /** Set on partners that come from `storage.managed`: shown, not editable. */
  managed?: boolean;
}

export interface Preferences {
  shareByDefault: boolean;
  holdSeconds: number;
  language: 'auto' | 'en' | 'uk' | 'ru';
}

export interface Settings {
  version: 1;
  ownBox: OwnBoxSettings | null;
  partners: PartnerSettings[];
  preferences: Preferences;
}
