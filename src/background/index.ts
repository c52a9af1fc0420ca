// The service worker: the only context that talks to box APIs and holds credentials.
// Listeners are registered synchronously at the top level, because an MV3 worker may be
// stopped at any moment and is woken again only by events it listened for on its first run.
import { onInstalled, onMessage, onStartup, onStorageChanged, restrictStorageToTrustedContexts } from '../platform/browser-api';
import { loadSettings, SETTINGS_KEY } from '../settings/store';
import { syncOwnBoxRegistration } from './content-registration';
import { pageHandlers } from './handlers/page';
import { createRouter } from './router';

onMessage(createRouter({ ...pageHandlers }));

async function applySettings(): Promise<void> {
  await restrictStorageToTrustedContexts();
  const settings = await loadSettings();
  await syncOwnBoxRegistration(settings.ownBox ? new URL(settings.ownBox.url).origin : null);
}

onInstalled(() => void applySettings());
onStartup(() => void applySettings());
onStorageChanged((changes, area) => {
  if (area === 'local' && SETTINGS_KEY in changes) void applySettings();
});
