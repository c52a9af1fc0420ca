// The Firefox manifest, derived from the one source `manifest.json` at build time (so the two
// builds cannot drift apart). What differs, and why:
// - `background.scripts` instead of `background.service_worker`: Firefox runs an MV3 background
//   as an event page (crxjs writes the loader file when built with `browser: 'firefox'`; the
//   source entry is only renamed here so it knows which file to bundle).
// - `browser_specific_settings.gecko`: a fixed id (Firefox needs one for `storage.managed`,
//   enterprise policies and signing) and the oldest Firefox with everything we use: MV3,
//   `storage.session`, `scripting.registerContentScripts` with `persistAcrossSessions`,
//   `optional_host_permissions` (128 is also an ESR, common in companies).
// - `minimum_chrome_version` and `storage.managed_schema` are Chrome-only keys: Firefox takes
//   company-wide settings from its own enterprise policy (see the README), not from a schema file.

export const GECKO_ID = 'partner-sync-onebox@partner-sync';
export const FIREFOX_MIN_VERSION = '128.0';

type Manifest = Record<string, unknown>;

export function firefoxManifest(chrome: Manifest): Manifest {
  const worker = (chrome.background as { service_worker?: unknown } | undefined)?.service_worker;
  if (typeof worker !== 'string') throw new Error('manifest.json: background.service_worker is missing');
  const rest = { ...chrome };
  for (const chromeOnly of ['minimum_chrome_version', 'storage', 'background']) delete rest[chromeOnly];
  return {
    ...rest,
    background: { scripts: [worker], type: 'module' },
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        // Required of new add-ons by Firefox's add-on site: the extension sends data only to the
        // boxes its user configures, never to its authors. Firefox before 140 ignores the key.
        data_collection_permissions: { required: ['none'] },
      },
    },
  };
}
