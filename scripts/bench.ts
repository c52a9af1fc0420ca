// `npm run bench`: builds, measures, prints a table and writes .bench/results.json.
// A benchmark, not a test: it reports numbers and never fails on them. Every wait in it is
// bounded, so it ends by itself (a few minutes; each measurement's method is in its module).
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'vite';
import { drainBacklog } from './bench/drain';
import { openOrderPage, startBenchWorld } from './bench/extension';
import { commentLatency, percentile } from './bench/latency';
import { COMMENTS, contentScriptTime } from './bench/page-time';
import { requestRate, type RequestRate } from '../test/support/request-rate';
import { deliveryAfterRestart } from './bench/restart';
import { entrySizes } from './bench/sizes';
import type { BenchRow } from './bench/types';
import { HOLD_SECONDS } from '../src/settings/schema';
import { newOrderInBoxA } from '../test/support/boxes';
import { sendToPartner } from '../test/support/order-page';
import { DIST } from '../test/support/chromium';

const ROOT = resolve(import.meta.dirname, '..');
const LATENCY_SAMPLES = 20;
const BACKLOG = 500;
const IDLE_LINKS = 1_000;
const idleLabel = `${IDLE_LINKS.toLocaleString('en-US')} idle links`;
const ACTIVE_LINKS = 10;
/** The content script's first task: what the page in view needs, no more. */
const FIRST_TASK_MS = 5;
/** One frame at 60 Hz: no task of the content script may make the page miss one. */
const FRAME_MS = 16;
const CONTENT_SCRIPT_GZIP = 10 * 1024;

/** Rows with a baseline (per-link polling) show it beside the value, and value ÷ baseline. */
function printTable(rows: BenchRow[]): void {
  const width = Math.max(...rows.map((r) => r.metric.length), 6);
  const unitWidth = Math.max(...rows.map((r) => r.unit.length), 4);
  const round = (n: number) => String(Math.round(n * 10) / 10);
  console.log(`${'metric'.padEnd(width)} | ${'value'.padStart(10)} | ${'baseline'.padStart(10)} | ${'ratio'.padStart(6)} | ${'unit'.padEnd(unitWidth)} | budget`);
  console.log(`${'-'.repeat(width)}-|-${'-'.repeat(10)}-|-${'-'.repeat(10)}-|-${'-'.repeat(6)}-|-${'-'.repeat(unitWidth)}-|-------`);
  for (const row of rows) {
    const budget = row.budget === undefined ? '' : `${row.value <= row.budget ? 'ok' : 'OVER'} ≤ ${row.budget}`;
    const baseline = row.baseline === undefined ? '' : round(row.baseline);
    const ratio = row.baseline ? (row.value / row.baseline).toFixed(2) : '';
    console.log(`${row.metric.padEnd(width)} | ${round(row.value).padStart(10)} | ${baseline.padStart(10)} | ${ratio.padStart(6)} | ${row.unit.padEnd(unitWidth)} | ${budget}`);
  }
}

const progress = (what: string) => console.error(`bench: ${what}`);

async function inBrowser(want: (section: Section) => boolean): Promise<BenchRow[]> {
  const world = await startBenchWorld();
  try {
    const rows: BenchRow[] = [];
    if (want('latency')) {
      progress('comment latency in the extension');
      const localId = await newOrderInBoxA(world, 'Bench: latency');
      // The page stays open and visible, as a manager's would during a conversation.
      const page = await openOrderPage(world, localId);
      const remoteId = await sendToPartner(page);
      const latency = await commentLatency(world, page, { localId, remoteId }, LATENCY_SAMPLES, HOLD_SECONDS.min * 1000);
      await page.close();
      const lost = latency.lost > 0 ? `, ${latency.lost} of ${2 * LATENCY_SAMPLES} samples lost` : '';
      const samples = `page open, ${LATENCY_SAMPLES} samples${lost}`;
      const outbound = `outbound latency after the ${HOLD_SECONDS.min} s hold window, posted on the page (${samples})`;
      rows.push(
        { metric: `${outbound}: p50`, value: percentile(latency.outbound, 50), unit: 'ms', budget: 500 },
        { metric: `${outbound}: p95`, value: percentile(latency.outbound, 95), unit: 'ms', budget: 1_000 },
        { metric: `inbound latency, written in box B (${samples}): p50`, value: percentile(latency.inbound, 50), unit: 'ms', budget: 1_200 },
        { metric: `inbound latency, written in box B (${samples}): p95`, value: percentile(latency.inbound, 95), unit: 'ms', budget: 2_000 },
      );
    }
    if (want('page')) {
      progress('content script on a page with 1,000 comments');
      const time = await contentScriptTime(world);
      const shown = time.marks < COMMENTS ? ` (only ${time.marks} shown)` : '';
      const page1000 = `content script, page of ${COMMENTS.toLocaleString('en-US')} marked comments${shown}`;
      rows.push(
        { metric: `${page1000}: first task (setup)`, value: time.firstTaskMs, unit: 'ms', budget: FIRST_TASK_MS },
        { metric: `${page1000}: next frame: send control + marks in view (layout read included)`, value: time.nextFrameMs, unit: 'ms', budget: FRAME_MS },
        { metric: `${page1000}: largest task`, value: time.largestTaskMs, unit: 'ms', budget: FRAME_MS },
        { metric: `${page1000}: all ${time.tasks} timed tasks, setup + 4 s`, value: time.totalMs, unit: 'ms' },
        { metric: `${page1000}: CDP main-thread time, with − without`, value: time.cdpTaskMs, unit: 'ms' },
      );
    }
    return rows;
  } finally {
    await world.close();
  }
}

async function drainRows(): Promise<BenchRow[]> {
  const drain = await drainBacklog(BACKLOG);
  const short = drain.delivered < BACKLOG ? ` (only ${drain.delivered} delivered, ${drain.left} left at the deadline)` : '';
  const label = `drain ${BACKLOG} comments, 4 req/s per box${short}`;
  return [
    { metric: `${label}: time`, value: drain.seconds, unit: 's' },
    { metric: `${label}: rate`, value: drain.delivered / drain.seconds, unit: 'comments/s' },
  ];
}

async function rateRows(): Promise<BenchRow[]> {
  const scenario = { idle: IDLE_LINKS, active: ACTIVE_LINKS };
  progress(`requests per minute, ${idleLabel} and ${ACTIVE_LINKS} active: per-link polling, then each way of change detection (virtual clock)`);
  const perLink = await requestRate(scenario, 'per-link', 120);
  const rows: BenchRow[] = [];
  for (const how of ['comments-batch', 'udate-sorted', 'udate'] as const) {
    const detection = await requestRate(scenario, how, 120);
    const short = [perLink, detection].some((r) => r.delivered < r.written) ? `, delivered ${detection.delivered} (per-link ${perLink.delivered}) of ${detection.written}` : '';
    const label = `${idleLabel} + ${ACTIVE_LINKS} active (1 comment/min each), change detection by ${how}${short}`;
    const row = (metric: string, pick: (rate: RequestRate) => number, unit: string, budget?: number): BenchRow => ({
      metric: `${label}: ${metric}`, value: pick(detection), baseline: pick(perLink), unit, ...(budget !== undefined ? { budget } : {}),
    });
    rows.push(
      row('requests, first minute, every link due (a restart)', (r) => r.firstMinute, 'req', 120),
      row('requests, steady (2nd hour)', (r) => r.steadyPerMinute, 'req/min', 30),
      row('requests, busiest minute of 2nd hour', (r) => r.busiestSteadyMinute, 'req'),
      row('longest an idle link went unread', (r) => r.longestUncheckedMinutes, 'min', 5),
    );
  }
  return rows;
}

/** Parts of the bench; `npm run bench -- page size` runs only those (all when none is named). */
const SECTIONS = ['size', 'latency', 'page', 'drain', 'requests', 'restart'] as const;
type Section = (typeof SECTIONS)[number];
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(SECTIONS as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`bench: unknown part ${unknown.join(', ')}; the parts are ${SECTIONS.join(', ')}`);
  process.exit(2);
}
const want = (section: Section) => asked.length === 0 || asked.includes(section);

const started = performance.now();
const rows: BenchRow[] = [];
if (want('size') || want('latency') || want('page')) await build({ root: ROOT, logLevel: 'warn' });
if (want('size')) {
  rows.push(...entrySizes(DIST).map((row) => (row.metric === 'content script: size gzip' ? { ...row, budget: CONTENT_SCRIPT_GZIP } : row)));
}
if (want('latency') || want('page')) rows.push(...(await inBrowser(want)));
// The drain waits on its 4 req/s throttle, and the request counts do not depend on time, so
// the two run side by side; the browser part runs alone, its timings would feel them.
if (want('drain')) progress(`draining ${BACKLOG} comments (about ${Math.round(BACKLOG / 4)} s) beside the request counts`);
const [drained, rates] = await Promise.all([want('drain') ? drainRows() : [], want('requests') ? rateRows() : []]);
rows.push(...drained, ...rates);
if (want('restart')) {
  progress(`a queued comment behind a restart's poll burst of ${IDLE_LINKS} links`);
  rows.push({
    metric: `restart, ${idleLabel} due: queued comment delivered after`,
    value: await deliveryAfterRestart(IDLE_LINKS),
    unit: 's',
    budget: 10,
  });
}
printTable(rows);
const out = resolve(ROOT, '.bench/results.json');
mkdirSync(resolve(ROOT, '.bench'), { recursive: true });
writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), parts: asked.length > 0 ? asked : SECTIONS, seconds: Math.round((performance.now() - started) / 1000), rows }, null, 2));
console.log(`\nwritten: ${out}`);
