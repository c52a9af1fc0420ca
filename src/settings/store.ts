// Reads and writes the settings in `storage.local` (closed to content scripts, see
// restrictStorageToTrustedContexts). Validation and migrations live in ./schema.ts.
import { localStore } from '../platform/browser-api';
import type { Settings } from './types';

export const SETTINGS_KEY = 'settings';

export const DEFAULT_SETTINGS: Settings = {
  version: 1,
  ownBox: null,
  partners: [],
  preferences: { shareByDefault: true, holdSeconds: 10, language: 'auto' },
};

export async function loadSettings(): Promise<Settings> {
  const stored = (await localStore.get(SETTINGS_KEY))[SETTINGS_KEY] as Settings | undefined;
  return stored ?? DEFAULT_SETTINGS;
}
