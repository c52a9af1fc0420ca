// `npm run bench`: builds, measures, prints a table and writes .bench/results.json.
// A benchmark, not a test: it reports numbers and never fails on them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'vite';
import { entrySizes } from './bench/sizes';
import type { BenchRow } from './bench/types';
import { DIST } from '../test/support/chromium';

const ROOT = resolve(import.meta.dirname, '..');

function printTable(rows: BenchRow[]): void {
  const width = Math.max(...rows.map((r) => r.metric.length), 6);
  console.log(`${'metric'.padEnd(width)} | ${'value'.padStart(10)} | unit | budget`);
  console.log(`${'-'.repeat(width)}-|-${'-'.repeat(10)}-|------|-------`);
  for (const row of rows) {
    const budget = row.budget === undefined ? '' : `${row.value <= row.budget ? 'ok' : 'OVER'} ≤ ${row.budget}`;
    console.log(`${row.metric.padEnd(width)} | ${String(Math.round(row.value * 10) / 10).padStart(10)} | ${row.unit.padEnd(4)} | ${budget}`);
  }
}

await build({ root: ROOT, logLevel: 'warn' });
const rows: BenchRow[] = entrySizes(DIST).map((row) =>
  row.metric === 'content script: size gzip' ? { ...row, budget: 15 * 1024 } : row,
);
printTable(rows);
const out = resolve(ROOT, '.bench/results.json');
mkdirSync(resolve(ROOT, '.bench'), { recursive: true });
writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), rows }, null, 2));
console.log(`\nwritten: ${out}`);
