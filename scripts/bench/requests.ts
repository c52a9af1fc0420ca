// API requests per minute, with the real scheduler (syncPass) on a virtual clock: links are
// written into the database, then syncPass runs every 10 virtual seconds for 2 virtual hours
// against sandbox boxes over HTTP. Every call both boxes receive while syncPass runs is counted
// (the bench's own comment writes are not). The clients' throttle is lifted so counting takes
// no real time: the numbers are what the scheduler asks for, before the 4 req/s per box cap.
import { syncPass } from '../../src/sync/scheduler';
import { apiCall, tokenFor } from '../../test/support/boxes';
import { newOrder, PEOPLE, startEngine, writeLinks } from '../../test/support/engine';

const STEP_MS = 10_000;
const MINUTES = 120;
const STEADY_FROM_MINUTE = 60;

export interface RequestRate {
  firstMinute: number;
  /** Mean per minute over the second hour, when every idle link has slowed to its slowest. */
  steadyPerMinute: number;
  busiestSteadyMinute: number;
  /** Comments the bench wrote and how many of them reached the other box. */
  written: number;
  delivered: number;
}

/**
 * `idle` links whose orders never change (ids of orders no box has: their comment list is
 * empty), or `active` links of real orders that gain one comment a minute each, alternately
 * in box A (the manager) and box B (the partner's employee).
 */
export async function requestRate(kind: 'idle' | 'active', links: number): Promise<RequestRate> {
  const bench = await startEngine({ name: `rate-${kind}`, holdSeconds: 10, virtual: true, limits: { perSecond: 10_000, inFlight: 16 } });
  try {
    const { boxA, boxB, ctx, clock } = bench;
    const pairs: [string, string][] = [];
    for (let i = 0; i < links; i++) {
      pairs.push(kind === 'idle'
        ? [String(900_000 + i), String(900_000 + i)]
        : [await newOrder(boxA, 'A'), await newOrder(boxB, 'B')]);
    }
    await writeLinks(bench, pairs);
    const tokens = kind === 'active'
      ? { a: await tokenFor(boxA.url, PEOPLE.A.login, PEOPLE.A.password), b: await tokenFor(boxB.url, PEOPLE.B.login, PEOPLE.B.password) }
      : null;
    const perMinute = new Array<number>(MINUTES).fill(0);
    const start = clock.at;
    let written = 0;
    for (let step = 0; step < (MINUTES * 60_000) / STEP_MS; step++) {
      clock.at = start + step * STEP_MS;
      const minute = Math.floor((step * STEP_MS) / 60_000);
      if (tokens && (step * STEP_MS) % 60_000 === 0) {
        const [box, token, side] = minute % 2 === 0 ? [boxA, tokens.a, 0] as const : [boxB, tokens.b, 1] as const;
        const records = pairs.map((pair) => ({ orderid: Number(pair[side]), content: `minute ${minute}`, clientvisible: 1 }));
        await apiCall(box.url, 'comment/set', records, token);
        written += records.length;
      }
      const before = boxA.log.length + boxB.log.length;
      await syncPass(ctx);
      perMinute[minute]! += boxA.log.length + boxB.log.length - before;
    }
    // A few more virtual minutes, not counted, so that comments written in the last minute
    // are polled too: "delivered" then tells loss, not where the window happened to end.
    for (let step = 1; step <= (3 * 60_000) / STEP_MS; step++) {
      clock.at = start + MINUTES * 60_000 + step * STEP_MS;
      await syncPass(ctx);
    }
    const steady = perMinute.slice(STEADY_FROM_MINUTE);
    // Copies carry the original's text after the author's attribution.
    const copies = [...boxA.state.comments, ...boxB.state.comments].filter((c) => /: minute \d+$/.test(c.content));
    return {
      firstMinute: perMinute[0]!,
      steadyPerMinute: steady.reduce((sum, n) => sum + n, 0) / steady.length,
      busiestSteadyMinute: Math.max(...steady),
      written,
      delivered: copies.length,
    };
  } finally {
    await bench.close();
  }
}
