// Keeps the content script registered on the user's own box origin. Boxes on `*.1b.app` and
// `*.crm-onebox.com` are covered by the manifest (registering them again would run the script
// twice); a custom domain or a loopback sandbox is added at run time and persists across
// browser restarts.
import { contentScripts, hostPermissions, injectIntoOpenTabs, manifest, originPattern } from '../platform/browser-api';
import { patternCoversOrigin } from '../settings/origins';

const SCRIPT_ID = 'own-box';

function staticScripts() {
  return manifest().content_scripts ?? [];
}

export async function syncOwnBoxRegistration(ownBoxOrigin: string | null): Promise<void> {
  const covered = ownBoxOrigin !== null && staticScripts().some((script) => (script.matches ?? []).some((p) => patternCoversOrigin(p, ownBoxOrigin)));
  const matches = ownBoxOrigin && !covered ? [originPattern(ownBoxOrigin)] : [];
  const current = (await contentScripts.registered()).find((script) => script.id === SCRIPT_ID);
  if (JSON.stringify(current?.matches ?? []) === JSON.stringify(matches)) return;
  if (current) await contentScripts.unregister([SCRIPT_ID]);
  // Registering without the host permission would fail; the options page asks for it on save.
  if (matches.length > 0 && (await hostPermissions.contains(matches))) {
    await contentScripts.register(SCRIPT_ID, matches, staticScripts()[0]?.js ?? []);
  }
}

/**
 * After an install or update, order pages of the own box that were open before get the new
 * content script: it takes over the pictogram state the old one showed (see content/index.ts).
 */
export async function attachToOpenPages(ownBoxOrigin: string | null): Promise<number> {
  if (!ownBoxOrigin || !(await hostPermissions.contains([originPattern(ownBoxOrigin)]))) return 0;
  return injectIntoOpenTabs(ownBoxOrigin, staticScripts()[0]?.js ?? []);
}
