// The service worker: the only context that talks to box APIs and holds credentials.
// Listeners are registered synchronously at the top level, because an MV3 worker may be
// stopped at any moment and is woken again only by events it listened for on its first run.
import {
  alarms,
  onHostPermissionsAdded,
  onInstalled,
  onMessage,
  onStartup,
  onStorageChanged,
  restrictStorageToTrustedContexts,
} from '../platform/browser-api';
import { loadSettings, refreshManagedPolicy, SETTINGS_KEY } from '../settings/store';
import { attachToOpenPages, syncOwnBoxRegistration } from './content-registration';
import { commentHandlers } from './handlers/comment';
import { orderHandlers } from './handlers/order';
import { pageHandlers } from './handlers/page';
import { popupHandlers } from './handlers/popup';
import { settingsHandlers } from './handlers/settings';
import { createRouter } from './router';
import { ensureSyncAlarm, runSync, SYNC_ALARM, syncContext, syncCycle } from './sync-service';
import { audit } from '../sync/db';

onMessage(createRouter({ ...pageHandlers, ...orderHandlers, ...commentHandlers, ...settingsHandlers, ...popupHandlers }));
alarms.onAlarm((name) => {
  if (name === SYNC_ALARM) void syncCycle();
});

async function applySettings(): Promise<void> {
  await restrictStorageToTrustedContexts();
  const settings = await loadSettings();
  await syncOwnBoxRegistration(settings.ownBox ? new URL(settings.ownBox.url).origin : null);
}

onInstalled(() => void applySettings().then(ensureSyncAlarm));
onStartup(() => void applySettings().then(ensureSyncAlarm));
onStorageChanged((changes, area) => {
  if (area === 'local' && SETTINGS_KEY in changes) void applySettings();
  if (area === 'managed') void refreshManagedPolicy();
});
// Pages left open across an install or update: without this their old script can no longer
// reach the worker, and their pictogram would show a choice nobody records.
onInstalled(() => void (async () => {
  const settings = await loadSettings();
  try {
    await attachToOpenPages(settings.ownBox ? new URL(settings.ownBox.url).origin : null);
  } catch (error) {
    await audit((await syncContext()).db, { event: 'attach-to-open-pages-failed', detail: error instanceof Error ? error.message : String(error) });
  }
})());
// Company-wide partners: a fresh copy of the policy at each start (see settings/store.ts).
onInstalled(() => void refreshManagedPolicy());
onStartup(() => void refreshManagedPolicy());
// Access granted after saving (the options page's "Grant access") lets the content script in.
onHostPermissionsAdded(() => void applySettings());

// Whatever woke the worker, jobs left by a worker that was stopped mid-way resume now.
void runSync();
