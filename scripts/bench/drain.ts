// Time to drain a backlog: comments written in box A on one linked order, then syncPass in real
// time until the outbox is empty, with the clients' default limits (4 req/s per box: the
// designed politeness, so the time is mostly the throttle's) and a hold window of 0 s.
import { syncPass } from '../../src/sync/scheduler';
import { apiCall, tokenFor } from '../../test/support/boxes';
import { newOrder, PEOPLE, startEngine, writeLinks } from '../../test/support/engine';

/** Long enough for 500 comments at 4 req/s with room to spare; the bench never waits longer. */
const DEADLINE_MS = 240_000;

export interface Drain {
  seconds: number;
  delivered: number;
  /** Jobs still in the outbox when the deadline passed (0 when it drained). */
  left: number;
}

export async function drainBacklog(count: number): Promise<Drain> {
  const bench = await startEngine({ name: 'drain', holdSeconds: 0, virtual: false });
  try {
    const { boxA, boxB, ctx } = bench;
    const local = await newOrder(boxA, 'A');
    const remote = await newOrder(boxB, 'B');
    await writeLinks(bench, [[local, remote]]);
    const records = Array.from({ length: count }, (_, i) => ({ orderid: Number(local), content: `backlog ${i + 1}`, clientvisible: 1 }));
    await apiCall(boxA.url, 'comment/set', records, await tokenFor(boxA.url, PEOPLE.A.login, PEOPLE.A.password));

    const started = performance.now();
    const deadline = started + DEADLINE_MS;
    let left = count;
    while (performance.now() < deadline) {
      const { nextAt } = await syncPass(ctx);
      left = await ctx.db.count('outbox');
      if (left === 0) break;
      // Something waits (a retry after a box hiccup): sleep until it is due, not past the deadline.
      const wait = Math.min(Math.max(0, (nextAt ?? Date.now()) - Date.now()), deadline - performance.now());
      await new Promise((resolve) => setTimeout(resolve, Math.max(10, wait)));
    }
    return {
      seconds: (performance.now() - started) / 1000,
      delivered: boxB.state.comments.filter((c) => c.orderid === remote).length,
      left,
    };
  } finally {
    await bench.close();
  }
}
