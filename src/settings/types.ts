// The settings file of design.md, version 1, as the rest of the code sees it after validation.
export interface BoxSettings {
  url: string;
  login: string;
  restApiPassword: string;
}

export interface FieldMapping {
  from: string;
  to: string;
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
  ownBox: BoxSettings | null;
  partners: PartnerSettings[];
  preferences: Preferences;
}
