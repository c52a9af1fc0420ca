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
  onTabRemoved,
  restrictStorageToTrustedContexts,
} from '../platform/browser-api';
import { loadSettings, refreshManagedPolicy, SETTINGS_KEY } from '../settings/store';
import { attachToOpenPages, syncOwnBoxRegistration } from './content-registration';
import { commentHandlers } from './handlers/comment';
import { orderHandlers } from './handlers/order';
import { pageHandlers } from './handlers/page';
import { popupHandlers } from './handlers/popup';
import { settingsHandlers } from './handlers/settings';
import { clearPageProblems } from './page-problems';
import { createRouter } from './router';
import { clearWorkerProblem, recordWorkerProblem, runSync, SYNC_ALARM } from './sync-service';
import { singleFlight } from '../sync/outbox';
import type { Settings } from '../settings/types';

const ownBoxOrigin = (settings: Settings) => (settings.ownBox ? new URL(settings.ownBox.url).origin : null);

/**
 * The worker's set-up after a start: storage closed to content scripts, the content script
 * registered for the own box. One at a time (a change while it runs makes it run again), and a
 * failure is recorded for the popup without keeping the sync from running.
 */
const applySettings = singleFlight(async () => {
  try {
    await restrictStorageToTrustedContexts();
    const settings = await loadSettings();
    await syncOwnBoxRegistration(ownBoxOrigin(settings));
    await clearWorkerProblem('set-up');
  } catch (error) {
    await recordWorkerProblem('set-up', error).catch(() => undefined);
  }
});

const refreshPolicy = () => refreshManagedPolicy().catch((error: unknown) => recordWorkerProblem('set-up', error));

/** Once per worker run, whatever woke it: every listener awaits this before its own work. */
let started: Promise<void> | null = null;
function start(): Promise<void> {
  started ??= applySettings().finally(() => void runSync());
  return started;
}

const route = createRouter({ ...pageHandlers, ...orderHandlers, ...commentHandlers, ...settingsHandlers, ...popupHandlers });
onMessage(async (message, sender) => {
  await start();
  return route(message, sender);
});
alarms.onAlarm((name) => {
  if (name === SYNC_ALARM) void start().then(runSync);
});
onInstalled(() => void start().then(async () => {
  // Pages left open across an install or update: without this their old script can no longer
  // reach the worker, and their pictogram would show a choice nobody records.
  try {
    await attachToOpenPages(ownBoxOrigin(await loadSettings()));
  } catch (error) {
    await recordWorkerProblem('set-up', error);
  }
  await refreshPolicy();
}));
// Company-wide partners: a fresh copy of the policy at each browser start (see settings/store.ts).
onStartup(() => void start().then(refreshPolicy));
onStorageChanged((changes, area) => {
  if (area === 'local' && SETTINGS_KEY in changes) void start().then(applySettings).then(runSync);
  if (area === 'managed') void start().then(refreshPolicy);
});
// What a closed tab's page lacked is of no more use.
onTabRemoved((tabId) => void clearPageProblems(tabId));
// Access granted after saving (the options page's "Grant access") lets the content script in.
onHostPermissionsAdded(() => void start().then(applySettings));

void start();
