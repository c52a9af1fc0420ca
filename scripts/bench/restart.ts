// A browser start with many linked orders: every link is due for a poll at once, and one comment
// was queued before the stop with its hold window already over. With the clients' real limits
// (4 req/s per box) the poll burst alone takes minutes; this measures, in real time, how long
// the queued comment waits for its delivery from the start of the pass.
import type { OneBoxClient } from '../../src/onebox';
import { pollLink } from '../../src/sync/comments';
import { linkId } from '../../src/sync/db';
import { syncPass } from '../../src/sync/scheduler';
import { apiCall, tokenFor } from '../../test/support/boxes';
import { newOrder, PEOPLE, startEngine, writeLinks } from '../../test/support/engine';

/** The bench never waits longer for the delivery. */
const DEADLINE_MS = 60_000;

/** Seconds from the start of the pass until box B holds the queued comment (the deadline when it never did). */
export async function deliveryAfterRestart(idleLinks: number): Promise<number> {
  const bench = await startEngine({ name: 'restart', holdSeconds: 3, virtual: false });
  const { boxA, boxB } = bench;
  // Once measured, the rest of the burst is cut short as a stopped worker would leave it: every
  // later request fails at once instead of waiting its turn in the 4 req/s throttle.
  let stopped = false;
  const ctx = { ...bench.ctx, clientFor: (box: Parameters<typeof bench.ctx.clientFor>[0]) => stoppable(bench.ctx.clientFor(box), () => stopped) };
  let pass: Promise<unknown> = Promise.resolve();
  try {
    const [local, remote] = [await newOrder(boxA, 'A'), await newOrder(boxB, 'B')];
    await writeLinks(bench, [[local, remote]]);
    await apiCall(boxA.url, 'comment/set', [{ orderid: Number(local), content: 'queued before the stop', clientvisible: 1 }], await tokenFor(boxA.url, PEOPLE.A.login, PEOPLE.A.password));
    await pollLink(ctx, linkId('buyer-b', local));
    // As the stopped worker left it: the hold window over, and every link due (the idle ones never polled).
    for (const job of await ctx.db.getAll('outbox')) await ctx.db.put('outbox', { ...job, notBefore: 0 });
    await ctx.db.put('links', { ...(await ctx.db.get('links', linkId('buyer-b', local)))!, nextPollAt: 0 });
    await writeLinks(bench, Array.from({ length: idleLinks }, (_, i): [string, string] => [String(900_000 + i), String(900_000 + i)]));

    const started = performance.now();
    pass = syncPass(ctx).catch(() => undefined);
    while (!boxB.log.some((call) => call.entity === 'comment' && call.action === 'set') && performance.now() - started < DEADLINE_MS) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return (performance.now() - started) / 1000;
  } finally {
    stopped = true;
    await pass;
    await bench.close();
  }
}

function stoppable(client: OneBoxClient, isStopped: () => boolean): OneBoxClient {
  return new Proxy(client, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => (isStopped() ? Promise.reject(new Error('worker stopped')) : (value as (...a: unknown[]) => unknown).apply(target, args));
    },
  });
}
