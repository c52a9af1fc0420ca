// Reads and writes the settings in `storage.local` (closed to content scripts, see
// restrictStorageToTrustedContexts; never `storage.sync`, which would copy the passwords to the
// user's other devices). Company-wide partners come from `storage.managed` and are merged in on
// reading, never into the user's settings. Chromium answers the first `storage.managed` read of a
// session only after loading policy, seconds later (3 to 15 s measured): a copy of the policy is
// kept in `storage.local`, refreshed by the worker, so that no reader waits for it.
import { localStore, managedSettings } from '../platform/browser-api';
import type { SettingsIssue } from './issues';
import { defaultSettings, parseManagedPartners, parseSettings } from './schema';
import type { PartnerSettings, Settings } from './types';

export const SETTINGS_KEY = 'settings';
export const MANAGED_POLICY_KEY = 'managedPolicy';

export const DEFAULT_SETTINGS: Settings = defaultSettings();

/** The user's own settings as stored; `issues` is set when what is stored cannot be read. */
export async function loadStoredSettings(): Promise<{ settings: Settings; issues: SettingsIssue[] }> {
  const stored: unknown = (await localStore.get(SETTINGS_KEY))[SETTINGS_KEY];
  if (stored === undefined) return { settings: DEFAULT_SETTINGS, issues: [] };
  const parsed = parseSettings(stored);
  return parsed.ok ? { settings: parsed.settings, issues: [] } : { settings: DEFAULT_SETTINGS, issues: parsed.issues };
}

export interface ManagedPartnerList {
  partners: PartnerSettings[];
  issues: SettingsIssue[];
  /** What the policy holds, for naming partners in the issues. */
  policy: unknown;
}

const managedPartners = (policy: unknown): ManagedPartnerList => ({ ...parseManagedPartners(policy), policy });

/** Reads the policy (slowly, at the start of a session) and keeps a copy for loadSettings. */
export async function refreshManagedPolicy(): Promise<ManagedPartnerList> {
  const policy = await managedSettings();
  await localStore.set({ [MANAGED_POLICY_KEY]: policy });
  return managedPartners(policy);
}

/** Company-wide partners as last read from the policy (none before the first read). */
export async function loadManagedPartners(): Promise<ManagedPartnerList> {
  return managedPartners((await localStore.get(MANAGED_POLICY_KEY))[MANAGED_POLICY_KEY] ?? {});
}

/** What the extension works with: the user's settings plus the company-wide partners. */
export async function loadSettings(): Promise<Settings> {
  const [{ settings }, managed] = await Promise.all([loadStoredSettings(), loadManagedPartners()]);
  const own = settings.partners.filter((partner) => !managed.partners.some((m) => m.id === partner.id));
  return { ...settings, partners: [...managed.partners, ...own] };
}

/** Stores settings that passed parseSettings; company-wide partners are left out. */
export async function saveSettings(settings: Settings): Promise<void> {
  const partners = settings.partners.filter((partner) => !partner.managed);
  await localStore.set({ [SETTINGS_KEY]: { ...settings, partners } });
}
