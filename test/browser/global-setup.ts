// Browser tests run against dist/: build it when it is missing or older than any source file,
// and fail loudly (never skip) when Chromium is not installed.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { chromiumPath, DIST } from '../support/chromium';

const ROOT = resolve(import.meta.dirname, '../..');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

export default async function setup(): Promise<void> {
  chromiumPath();
  const manifest = join(DIST, 'manifest.json');
  const sources = ['src', 'public', 'manifest.json', 'vite.config.ts', 'package.json'].map((p) => join(ROOT, p));
  if (!existsSync(manifest) || Math.max(...sources.map(newestMtime)) > statSync(manifest).mtimeMs) {
    await build({ root: ROOT, logLevel: 'warn' });
  }
}
