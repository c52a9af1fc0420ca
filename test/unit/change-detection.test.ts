// Change detection on the real engine (sandbox boxes over HTTP, the engine's virtual clock, which
// the boxes stamp their dates with): what each way of looking finds, what it must not miss, and
// the reads an open order page asks for.
import { afterEach, describe, expect, it } from 'vitest';
import type { BoxDialect } from '../../src/onebox/types';
import { DETECT_EVERY_MS } from '../../src/sync/changes';
import { syncPass, watchOrder, WATCH_EVERY_MS } from '../../src/sync/scheduler';
import { apiCall, CLIENT_DIALECT, tokenFor } from '../support/boxes';
import { newOrder, PEOPLE, startEngine, writeLinks, type EngineBench } from '../support/engine';
import type { Sandbox } from '../sandbox/index';

let bench: EngineBench;
let runs = 0;
afterEach(async () => {
  await bench?.close();
});

async function linkedPairs(changes: BoxDialect['changes'], count: number): Promise<[string, string][]> {
  bench = await startEngine({
    name: `change-detection-${++runs}`, holdSeconds: 3, virtual: true,
    limits: { perSecond: 1000, inFlight: 4 }, dialect: { ...CLIENT_DIALECT.wrapped, changes },
  });
  const pairs: [string, string][] = [];
  for (let i = 0; i < count; i++) pairs.push([await newOrder(bench.boxA, 'A'), await newOrder(bench.boxB, 'B')]);
  await writeLinks(bench, pairs);
  return pairs;
}

async function write(box: Sandbox, person: { login: string; password: string }, orderId: string, content: string): Promise<void> {
  await apiCall(box.url, 'comment/set', [{ orderid: Number(orderId), content, clientvisible: 1 }], await tokenFor(box.url, person.login, person.password));
}

const copiesIn = (box: Sandbox, orderId: string) => box.state.comments.filter((c) => c.orderid === orderId && c.type === 'comment').map((c) => c.content.replace(/^.*?: /, ''));
const passesFor = async (ms: number, step = 10_000) => {
  for (let at = 0; at <= ms; at += step) {
    await syncPass(bench.ctx);
    bench.clock.at += step;
  }
};
const readsOf = (box: Sandbox, since: number, orderId: string) => box.log.slice(since).filter((c) => {
  const orderid = (c.body as { filter?: { orderid?: unknown[] } }).filter?.orderid;
  return c.entity === 'comment' && c.action === 'get' && orderid?.length === 1 && String(orderid[0]) === orderId;
}).length;

describe('change detection', () => {
  it.each(['udate', 'udate-sorted'] as const)('by change dates (%s): a comment written in the same second as the look that first saw the date is not missed', async (how) => {
    const [[local, remote]] = await linkedPairs(how, 1) as [[string, string]];
    await passesFor(0);
    // Two comments in the same (frozen) second, with a look between them: the date does not move
    // for the second one, so only acting a look later, with a read made then, finds it.
    bench.clock.at += DETECT_EVERY_MS;
    await write(bench.boxB, PEOPLE.B, remote, 'first');
    await syncPass(bench.ctx);
    await write(bench.boxB, PEOPLE.B, remote, 'second');
    await passesFor(3 * DETECT_EVERY_MS);
    expect(copiesIn(bench.boxA, local)).toEqual(['first', 'second']);
  });

  /** No comments read of any linked order but the one that changed, on either side. */
  const expectNoOtherOrderRead = (pairs: [string, string][], changedLocal: string, since: { a: number; b: number }) => {
    for (const [otherLocal, otherRemote] of pairs.filter((pair) => pair[0] !== changedLocal)) {
      expect(readsOf(bench.boxA, since.a, otherLocal) + readsOf(bench.boxB, since.b, otherRemote)).toBe(0);
    }
  };

  /** Reads of change dates: of the box's latest changes (no ids named), and by the linked orders' ids. */
  const dateReads = (box: Sandbox, since: number) => {
    const reads = box.log.slice(since).filter((c) => c.entity === 'order' && c.action === 'get' && JSON.stringify((c.body as { fields?: unknown }).fields) === '["id","udate"]');
    const byId = reads.filter((c) => (c.body as { filter?: { id?: unknown } }).filter?.id !== undefined).length;
    return { latest: reads.length - byId, byId };
  };

  it('by sorted change dates: after the first look, one read of the box’s latest changes a look, and only a changed side is read alone', async () => {
    const pairs = await linkedPairs('udate-sorted', 5);
    await passesFor(DETECT_EVERY_MS);
    const [local, remote] = pairs[2]!;
    const since = { a: bench.boxA.log.length, b: bench.boxB.log.length };
    await write(bench.boxB, PEOPLE.B, remote, 'news');
    const looks = 3;
    await passesFor(looks * DETECT_EVERY_MS);
    expect(copiesIn(bench.boxA, local)).toEqual(['news']);
    for (const [box, from] of [[bench.boxA, since.a], [bench.boxB, since.b]] as const) {
      expect(dateReads(box, from)).toEqual({ latest: looks, byId: 0 });
    }
    expectNoOtherOrderRead(pairs, local, since);
  });

  it('by sorted change dates: when the box’s latest changes do not reach back to the last look, the linked orders are read by id and nothing is missed', async () => {
    const [[local, remote]] = await linkedPairs('udate-sorted', 1) as [[string, string]];
    await passesFor(DETECT_EVERY_MS);
    bench.clock.at += 1_000;
    await write(bench.boxB, PEOPLE.B, remote, 'under the pile');
    // A second later, more orders change in box B than one read of its latest changes holds.
    bench.clock.at += 1_000;
    const token = await tokenFor(bench.boxB.url, PEOPLE.B.login, PEOPLE.B.password);
    await apiCall(bench.boxB.url, 'order/set', Array.from({ length: 500 }, (_, i) => ({ name: `Other ${i}`, ...PEOPLE.B.stage })), token);
    const since = bench.boxB.log.length;
    await passesFor(3 * DETECT_EVERY_MS);
    expect(copiesIn(bench.boxA, local)).toEqual(['under the pile']);
    expect(dateReads(bench.boxB, since).byId).toBeGreaterThan(0);
  });

  it('by one comments read: every linked order of a box is named in one read, and only a changed side is read alone', async () => {
    const pairs = await linkedPairs('comments-batch', 5);
    await passesFor(DETECT_EVERY_MS);
    const [local, remote] = pairs[2]!;
    const since = { a: bench.boxA.log.length, b: bench.boxB.log.length };
    await write(bench.boxA, PEOPLE.A, local, 'news');
    await passesFor(DETECT_EVERY_MS);
    expect(copiesIn(bench.boxB, remote)).toEqual(['news']);
    const batchReads = bench.boxA.log.slice(since.a).filter((c) => (c.body as { filter?: { orderid?: unknown[] } }).filter?.orderid?.length === pairs.length);
    expect(batchReads.length).toBeGreaterThan(0);
    expect(readsOf(bench.boxA, since.a, local)).toBe(1);
    expectNoOtherOrderRead(pairs, local, since);
  });

  it('by one comments read: a page full of newer comments than the last look reads every order it named in full', async () => {
    const pairs = await linkedPairs('comments-batch', 3);
    await passesFor(DETECT_EVERY_MS);
    const [[busyLocal], [quietLocal, quietRemote]] = pairs as [[string, string], [string, string]];
    // One comment on a quiet order, then more on a busy one than a page holds: the quiet one's
    // comment is older than anything on the page the next look reads.
    await write(bench.boxA, PEOPLE.A, quietLocal, 'behind the page');
    const token = await tokenFor(bench.boxA.url, PEOPLE.A.login, PEOPLE.A.password);
    await apiCall(bench.boxA.url, 'comment/set', Array.from({ length: 510 }, (_, i) => ({ orderid: Number(busyLocal), content: `busy ${i}`, clientvisible: 0 })), token);
    await passesFor(DETECT_EVERY_MS);
    expect(copiesIn(bench.boxB, quietRemote)).toEqual(['behind the page']);
  });

  it('an open page has its order’s partner side read every second, and no other order’s', async () => {
    const pairs = await linkedPairs('comments-batch', 3);
    await passesFor(DETECT_EVERY_MS);
    const [local, remote] = pairs[0]!;
    const since = bench.boxB.log.length;
    // The page refreshes every 3 s while visible; each refresh renews its lease.
    for (let second = 0; second < 12; second++) {
      if (second % 3 === 0) await watchOrder(bench.ctx, local);
      await syncPass(bench.ctx);
      bench.clock.at += WATCH_EVERY_MS;
    }
    expect(readsOf(bench.boxB, since, remote)).toBeGreaterThanOrEqual(11);
    for (const [, otherRemote] of pairs.slice(1)) expect(readsOf(bench.boxB, since, otherRemote)).toBe(0);
  });
});
