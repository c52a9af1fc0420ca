// What every part of the sync gets from its caller: the settings of the moment, the database
// and box clients (in the worker: tokens in session storage; in tests: anything).
import { KeyedError } from '../errors/keyed-error';
import type { OneBoxClient } from '../onebox';
import type { OwnBoxSettings, PartnerSettings, Settings } from '../settings/types';
import type { SyncDb } from './db';

export interface SyncContext {
  db: SyncDb;
  settings: Settings;
  clientFor(box: { url: string; login: string; restApiPassword: string }): OneBoxClient;
  now(): number;
}

export function ownBoxOf(settings: Settings): OwnBoxSettings {
  if (!settings.ownBox) throw new KeyedError({ kind: 'config', messageKey: 'error_no_own_box' });
  return settings.ownBox;
}

export function partnerOf(settings: Settings, partnerId: string): PartnerSettings {
  const partner = settings.partners.find((p) => p.id === partnerId);
  if (!partner) throw new KeyedError({ kind: 'config', messageKey: 'error_partner_missing', detail: partnerId });
  return partner;
}

export const partnerBox = (p: PartnerSettings) => ({ url: p.boxUrl, login: p.login, restApiPassword: p.restApiPassword });

