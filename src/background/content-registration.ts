// Keeps the content script registered on the user's own box origin. Boxes on `*.1b.app` and
// `*.crm-onebox.com` are covered by the manifest; a custom domain or a loopback sandbox is added
// at run time and persists across browser restarts.
import { contentScripts, hostPermissions, manifest } from '../platform/browser-api';

const SCRIPT_ID = 'own-box';

function builtContentScriptFiles(): string[] {
  return manifest().content_scripts?.[0]?.js ?? [];
}

export async function syncOwnBoxRegistration(ownBoxOrigin: string | null): Promise<void> {
  const matches = ownBoxOrigin ? [`${ownBoxOrigin}/*`] : [];
  const current = (await contentScripts.registered()).find((script) => script.id === SCRIPT_ID);
  const same = current && JSON.stringify(current.matches) === JSON.stringify(matches);
  if (same) return;
  if (current) await contentScripts.unregister([SCRIPT_ID]);
  // Registering without the host permission would fail; the options page asks for it on save.
  if (ownBoxOrigin && (await hostPermissions.contains(matches))) {
    await contentScripts.register(SCRIPT_ID, matches, builtContentScriptFiles());
  }
}
