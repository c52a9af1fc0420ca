// Host permissions for the boxes in the settings. Browsers prompt only for a request made during
// the user's click, so `requestAccess` runs in the click handlers of Save, Import, "Test
// connection" and "Grant access". The browser asks only about what is not granted yet (nothing to
// ask means no prompt at all).
import { hostPermissions, manifest, originPattern } from '../platform/browser-api';
import { grantsToRelease } from '../settings/origins';

/** The origins among these that the extension may not reach. */
export async function missingAccess(origins: readonly string[]): Promise<string[]> {
  const held = await Promise.all(origins.map((origin) => hostPermissions.contains([originPattern(origin)])));
  return origins.filter((_, index) => !held[index]);
}

/**
 * Asks for access to the origins; resolves to those still missing afterwards. The request is made
 * before anything is awaited: Firefox takes it as the user's only while the click is handled.
 */
export async function requestAccess(origins: readonly string[]): Promise<string[]> {
  if (origins.length === 0) return [];
  try {
    await hostPermissions.request([...new Set(origins.map(originPattern))]);
  } catch {
    // Refused without a prompt (e.g. no user gesture): reported below like a denial.
  }
  return missingAccess(origins);
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
