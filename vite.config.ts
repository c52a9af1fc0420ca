import { defineConfig } from 'vite';
import { crx } from '@crxjs/vite-plugin';
import manifest from './manifest.json' with { type: 'json' };
import pkg from './package.json' with { type: 'json' };
import { FIREFOX_MIN_VERSION, firefoxManifest } from './scripts/firefox-manifest.ts';

// The content script is built standalone (one IIFE file, no loader, no shared chunks): the
// worker registers the same file at run time on box origins the user adds, where a loader's
// `web_accessible_resources` would not reach.
// `vite build` writes the Chrome build to dist/; `vite build --mode firefox` writes the Firefox
// build to dist-firefox/ from the same manifest (scripts/firefox-manifest.ts says what differs).
export default defineConfig(({ mode }) => {
  const firefox = mode === 'firefox';
  const chromeManifest = { ...manifest, version: pkg.version };
  return {
    plugins: [
      crx({
        manifest: (firefox ? firefoxManifest(chromeManifest) : chromeManifest) as never,
        browser: firefox ? 'firefox' : 'chrome',
        contentScripts: { standaloneFiles: ['src/content/index.ts'] },
      }),
    ],
    build: {
      outDir: firefox ? 'dist-firefox' : 'dist',
      emptyOutDir: true,
      target: firefox ? `firefox${FIREFOX_MIN_VERSION.split('.')[0]}` : 'chrome121',
    },
  };
});
