// API requests per minute (for the bench and the request budget test), with the real scheduler
// (syncPass) on a virtual clock: links are written into the database (as a finished send leaves
// them), then syncPass runs every 10 virtual seconds for the minutes asked against sandbox boxes over HTTP. Every call both boxes
// receive while syncPass runs is counted (the bench's own comment writes are not). The clients'
// throttle is lifted so counting takes no real time: the numbers are what the scheduler asks
// for, before the 4 req/s per box cap. Each run gives the boxes' dialect as given: change
// detection (`comments-batch`) or the per-link polling it replaces (`per-link`, the baseline).
import type { BoxDialect } from '../../src/onebox/types';
import { syncPass } from '../../src/sync/scheduler';
import { apiCall, CLIENT_DIALECT, tokenFor } from './boxes';
import { newOrder, PEOPLE, startEngine, writeLinks } from './engine';

const STEP_MS = 10_000;

export interface RequestRate {
  firstMinute: number;
  /** Mean per minute over the second half. */
  steadyPerMinute: number;
  busiestSteadyMinute: number;
  /** The longest an idle link's side went without being checked (its comments read, alone or with others, or its change date) in the second half, in minutes. */
  longestUncheckedMinutes: number;
  /** Comments the bench wrote and how many of them reached the other box. */
  written: number;
  delivered: number;
}

/** A read of a box's latest changes (no ids named, sorted by change date) checks all of its orders. */
const ALL_ORDERS = '*';

/**
 * The order ids a read checked for changes: a comments read's orders, an order read's ids
 * (change dates), or every order of the box for a read of its latest changes, which reaches back
 * past the last look here (the bench's boxes hold fewer orders than one such read gives).
 */
function checkedOrders(call: { entity: string; action: string; body: unknown }): string[] {
  if (call.action !== 'get') return [];
  const filter = (call.body as { filter?: { orderid?: unknown; id?: unknown } }).filter;
  if (call.entity === 'order' && filter?.id === undefined && JSON.stringify((call.body as { orderby?: unknown }).orderby) === '{"udate":"desc"}') return [ALL_ORDERS];
  const ids = call.entity === 'order' ? filter?.id : call.entity === 'comment' || call.entity.endsWith('comments') ? filter?.orderid : undefined;
  return ids === undefined ? [] : (Array.isArray(ids) ? ids : [ids]).map(String);
}

/**
 * `idle` links whose orders never change (ids of orders no box has: their comment list is
 * empty) and `active` links of real orders that gain one comment a minute each, alternately
 * in box A (the manager) and box B (the partner's employee).
 */
export async function requestRate(links: { idle: number; active: number }, changes: BoxDialect['changes'], minutes: number): Promise<RequestRate> {
  const MINUTES = minutes;
  const STEADY_FROM_MINUTE = minutes / 2;
  const bench = await startEngine({
    name: `rate-${changes}-${links.idle}-${links.active}`, holdSeconds: 10, virtual: true,
    limits: { perSecond: 10_000, inFlight: 16 }, dialect: { ...CLIENT_DIALECT.wrapped, changes },
  });
  try {
    const { boxA, boxB, ctx, clock } = bench;
    const idle = Array.from({ length: links.idle }, (_, i): [string, string] => [String(900_000 + i), String(900_000 + i)]);
    const active: [string, string][] = [];
    for (let i = 0; i < links.active; i++) active.push([await newOrder(boxA, 'A'), await newOrder(boxB, 'B')]);
    await writeLinks(bench, [...active, ...idle]);
    const tokens = { a: await tokenFor(boxA.url, PEOPLE.A.login, PEOPLE.A.password), b: await tokenFor(boxB.url, PEOPLE.B.login, PEOPLE.B.password) };
    const perMinute = new Array<number>(MINUTES).fill(0);
    // Per idle order and box: the virtual times it was read in the second half.
    const checks = new Map<string, number[]>();
    const idleIds = new Set(idle.map(([id]) => id));
    const start = clock.at;
    let written = 0;
    for (let step = 0; step < (MINUTES * 60_000) / STEP_MS; step++) {
      clock.at = start + step * STEP_MS;
      const minute = Math.floor((step * STEP_MS) / 60_000);
      if (active.length > 0 && (step * STEP_MS) % 60_000 === 0) {
        const [box, token, side] = minute % 2 === 0 ? [boxA, tokens.a, 0] as const : [boxB, tokens.b, 1] as const;
        const records = active.map((pair) => ({ orderid: Number(pair[side]), content: `minute ${minute}`, clientvisible: 1 }));
        await apiCall(box.url, 'comment/set', records, token);
        written += records.length;
      }
      const before = { a: boxA.log.length, b: boxB.log.length };
      await syncPass(ctx);
      perMinute[minute]! += boxA.log.length - before.a + boxB.log.length - before.b;
      if (minute < STEADY_FROM_MINUTE) continue;
      for (const [name, box, from] of [['A', boxA, before.a], ['B', boxB, before.b]] as const) {
        for (const call of box.log.slice(from)) {
          for (const checked of checkedOrders(call)) {
            for (const id of checked === ALL_ORDERS ? idleIds : [checked]) {
              if (idleIds.has(id)) checks.set(`${name} ${id}`, [...(checks.get(`${name} ${id}`) ?? []), clock.at]);
            }
          }
        }
      }
    }
    // A few more virtual minutes, not counted, so that comments written in the last minute
    // are read too: "delivered" then tells loss, not where the window happened to end.
    for (let step = 1; step <= (3 * 60_000) / STEP_MS; step++) {
      clock.at = start + MINUTES * 60_000 + step * STEP_MS;
      await syncPass(ctx);
    }
    const steady = perMinute.slice(STEADY_FROM_MINUTE);
    const window = [start + STEADY_FROM_MINUTE * 60_000, start + MINUTES * 60_000];
    let longest = 0;
    for (const [id] of idle) {
      for (const box of ['A', 'B']) {
        const times = [window[0]!, ...(checks.get(`${box} ${id}`) ?? []), window[1]!];
        for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i]! - times[i - 1]!);
      }
    }
    // Copies carry the original's text after the author's attribution.
    const copies = [...boxA.state.comments, ...boxB.state.comments].filter((c) => /: minute \d+$/.test(c.content));
    return {
      firstMinute: perMinute[0]!,
      steadyPerMinute: steady.reduce((sum, n) => sum + n, 0) / steady.length,
      busiestSteadyMinute: Math.max(...steady),
      longestUncheckedMinutes: longest / 60_000,
      written,
      delivered: copies.length,
    };
  } finally {
    await bench.close();
  }
}
