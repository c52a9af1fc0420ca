import { defineConfig } from 'vite';
import { crx } from '@crxjs/vite-plugin';
import manifest from './manifest.json' with { type: 'json' };
import pkg from './package.json' with { type: 'json' };

// The content script is built standalone (one IIFE file, no loader, no shared chunks): the
// worker registers the same file at run time on box origins the user adds, where a loader's
// `web_accessible_resources` would not reach.
export default defineConfig({
  plugins: [
    crx({
      manifest: { ...manifest, version: pkg.version } as never,
      contentScripts: { standaloneFiles: ['src/content/index.ts'] },
    }),
  ],
  build: { outDir: 'dist', emptyOutDir: true, target: 'chrome121' },
});
