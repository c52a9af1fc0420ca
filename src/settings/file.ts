// The settings file as it is exported and imported on the options page.
import type { BoxSettings, PartnerSettings, Settings } from './types';

function without<T extends object>(record: T, keys: readonly string[]): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key))) as Partial<T>;
}

/** The file to export: the user's own settings (company-wide partners come from the policy). */
export function toSettingsFile(settings: Settings, includePasswords: boolean): unknown {
  const dropped = includePasswords ? [] : ['restApiPassword'];
  return {
    version: settings.version,
    ownBox: settings.ownBox && without(settings.ownBox, dropped),
    partners: settings.partners.filter((partner) => !partner.managed).map((partner) => without(partner, ['managed', ...dropped])),
    preferences: settings.preferences,
  };
}

/**
 * A file exported without passwords, imported where the same login on the same box is already
 * set up, keeps the password already stored for it; any other missing password stays empty.
 */
export function keepKnownPasswords(imported: Settings, current: Settings): Settings {
  const known: BoxSettings[] = [
    ...(current.ownBox ? [current.ownBox] : []),
    ...current.partners.map((p) => ({ url: p.boxUrl, login: p.login, restApiPassword: p.restApiPassword })),
  ];
  const passwordFor = (url: string, login: string, password: string): string =>
    password || (known.find((box) => box.url === url && box.login === login)?.restApiPassword ?? '');
  const partner = (p: PartnerSettings): PartnerSettings => ({ ...p, restApiPassword: passwordFor(p.boxUrl, p.login, p.restApiPassword) });
  return {
    ...imported,
    ownBox: imported.ownBox && { ...imported.ownBox, restApiPassword: passwordFor(imported.ownBox.url, imported.ownBox.login, imported.ownBox.restApiPassword) },
    partners: imported.partners.map(partner),
  };
}
