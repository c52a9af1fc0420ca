// Browser tests run against dist/ (Chromium) and dist-firefox/ (Firefox): build each when it is
// missing or older than any source file, and fail loudly (never skip) when Chromium is not
// installed. The Firefox test file checks for Firefox itself, so that only it fails without one.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { chromiumPath, DIST } from '../support/chromium';
import { DIST_FIREFOX } from '../support/firefox';

const ROOT = resolve(import.meta.dirname, '../..');
const BUILDS = [{ outDir: DIST, mode: 'production' }, { outDir: DIST_FIREFOX, mode: 'firefox' }];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

export default async function setup(): Promise<void> {
  chromiumPath();
  const sources = ['src', 'public', 'manifest.json', 'vite.config.ts', 'package.json', 'scripts/firefox-manifest.ts'].map((p) => join(ROOT, p));
  for (const { outDir, mode } of BUILDS) {
    const manifest = join(outDir, 'manifest.json');
    if (!existsSync(manifest) || Math.max(...sources.map(newestMtime)) > statSync(manifest).mtimeMs) {
      await build({ root: ROOT, mode, logLevel: 'warn' });
    }
  }
}
