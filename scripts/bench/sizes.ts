// Size of each built entry: the files a context loads, following static imports from the entry.
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BenchRow } from './types';

function jsImports(dist: string, file: string): string[] {
  const code = readFileSync(join(dist, file), 'utf8');
  const found = [...code.matchAll(/(?:import|export)\s*(?:[^'"`;]*?from\s*)?["'`](\.{1,2}\/[^"'`]+)["'`]/g)];
  return found.map((m) => posix.normalize(posix.join(posix.dirname(file), m[1] ?? '')));
}

function htmlScripts(dist: string, file: string): string[] {
  const html = readFileSync(join(dist, file), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="\/?([^"]+\.js)"/g)].map((m) => m[1] ?? '');
  return refs.map((ref) => posix.normalize(ref));
}

/** All files an entry loads: the entry and, transitively, what it imports. */
export function filesOf(dist: string, entry: string): string[] {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...(file.endsWith('.html') ? htmlScripts(dist, file) : jsImports(dist, file)));
  }
  return [...seen];
}

export function entrySizes(dist: string): BenchRow[] {
  const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as {
    background: { service_worker: string };
    content_scripts: { js: string[] }[];
    action: { default_popup: string };
    options_ui: { page: string };
  };
  const entries: [string, string[]][] = [
    ['content script', manifest.content_scripts.flatMap((c) => c.js)],
    ['background worker', [manifest.background.service_worker]],
    ['options page', [manifest.options_ui.page]],
    ['popup', [manifest.action.default_popup]],
  ];
  return entries.flatMap(([name, roots]) => {
    const files = [...new Set(roots.flatMap((root) => filesOf(dist, root)))];
    const bytes = files.map((file) => readFileSync(join(dist, file)));
    const raw = bytes.reduce((sum, b) => sum + b.length, 0);
    const gzip = bytes.reduce((sum, b) => sum + gzipSync(b, { level: 9 }).length, 0);
    return [
      { metric: `${name}: size`, value: raw, unit: 'B' },
      { metric: `${name}: size gzip`, value: gzip, unit: 'B' },
    ];
  });
}
