// Host permissions for the boxes in the settings. Chrome shows its prompt only for a request made
// during the user's click, so `requestAccess` runs in the click handlers of Save, Import, "Test
// connection" and "Grant access", and asks only for what is not granted yet (nothing to ask
// means no prompt at all).
import { hostPermissions, manifest } from '../platform/browser-api';
import { grantsToRelease, originPattern } from '../settings/origins';

/** The origins among these that the extension may not reach. */
export async function missingAccess(origins: readonly string[]): Promise<string[]> {
  const held = await Promise.all(origins.map((origin) => hostPermissions.contains([originPattern(origin)])));
  return origins.filter((_, index) => !held[index]);
}

/** Asks for the origins not yet granted; resolves to those still missing afterwards. */
export async function requestAccess(origins: readonly string[]): Promise<string[]> {
  const missing = await missingAccess(origins);
  if (missing.length === 0) return [];
  try {
    if (await hostPermissions.request(missing.map(originPattern))) return [];
  } catch {
    // Refused without a prompt (e.g. no user gesture): reported below like a denial.
  }
  return missingAccess(missing);
}

/**
 * Gives back granted host permissions that no box in the settings needs any more. One at a time:
 * a grant the browser refuses to take back stays, and neither blocks the others nor the save.
 */
export async function releaseUnneededAccess(neededOrigins: readonly string[]): Promise<void> {
  const fixed = (manifest().content_scripts ?? []).flatMap((script) => script.matches ?? []);
  const release = grantsToRelease(await hostPermissions.granted(), neededOrigins, fixed);
  await Promise.allSettled(release.map((pattern) => hostPermissions.remove([pattern])));
}
