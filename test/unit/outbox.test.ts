import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { OneBoxError } from '../../src/onebox/errors';
import { openSyncDb, type OutboxJob, type SyncDb } from '../../src/sync/db';
import { backoffDelay, drainOutbox, retryLink, singleFlight, type Clock, type Runners } from '../../src/sync/outbox';

let db: SyncDb;
let dbCount = 0;
const clock = (start = 1_000_000): Clock & { advance(ms: number): void } => {
  let now = start;
  return { now: () => now, random: () => 0.5, advance: (ms) => void (now += ms) };
};

function job(linkId: string, extra: Partial<OutboxJob> = {}): OutboxJob {
  return { kind: 'send-order', linkId, lane: linkId, state: 'pending', attempts: 0, notBefore: 0, createdAt: 0, ...extra } as OutboxJob;
}

const transient = () => new OneBoxError({ kind: 'transient', messageKey: 'error_box_down', endpoint: 'order/set' });
const config = () => new OneBoxError({ kind: 'config', messageKey: 'error_config', endpoint: 'order/set', detail: 'Unknown status 999' });

/** The same runner for every kind of job. */
const all = (run: (job: OutboxJob) => Promise<void>): Runners => ({ 'send-order': run, 'comment-out': run, 'comment-in': run, 'field-update': run, 'stage-move': run });

beforeEach(async () => {
  db = await openSyncDb(`test-${++dbCount}`);
});

describe('backoff', () => {
  it('grows exponentially with jitter, caps at five minutes and honours Retry-After', () => {
    expect(backoffDelay(1, 0)).toBe(1_000);
    expect(backoffDelay(1, 1)).toBe(2_000);
    expect(backoffDelay(4, 1)).toBe(16_000);
    expect(backoffDelay(30, 1)).toBe(300_000);
    expect(backoffDelay(1, 0, 60_000)).toBe(60_000);
  });
});

describe('drainOutbox', () => {
  it('runs jobs of one link in the order written and removes them when done', async () => {
    const ran: number[] = [];
    for (let i = 0; i < 3; i++) await db.add('outbox', job('a'));
    const result = await drainOutbox(db, all(async (j) => void ran.push(j.seq!)), clock());
    expect(ran).toEqual([1, 2, 3]);
    expect(result).toMatchObject({ done: 3, failed: 0, nextDueAt: null });
    expect(await db.count('outbox')).toBe(0);
  });

  it('keeps a transient failure with backoff and holds back the link’s later jobs, not other links', async () => {
    const c = clock();
    await db.add('outbox', job('a'));
    await db.add('outbox', job('a'));
    await db.add('outbox', job('b'));
    const ran: string[] = [];
    const result = await drainOutbox(db, all(async (j) => {
      ran.push(`${j.linkId}${j.seq}`);
      if (j.linkId === 'a') throw transient();
    }), c);
    expect(ran).toEqual(['a1', 'b3']);
    expect(result.nextDueAt).toBe(c.now() + 1_500);
    const [first] = await db.getAll('outbox');
    expect(first).toMatchObject({ seq: 1, state: 'pending', attempts: 1, error: { kind: 'transient', messageKey: 'error_box_down' } });
    c.advance(1_500);
    await drainOutbox(db, all(async (j) => void ran.push(`${j.linkId}${j.seq}`)), c);
    expect(ran).toEqual(['a1', 'b3', 'a1', 'a2']);
  });

  it('parks a config error at once with the box’s words, and a retry runs it again', async () => {
    await db.add('outbox', job('a'));
    await drainOutbox(db, all(async () => { throw config(); }), clock());
    const [parked] = await db.getAll('outbox');
    expect(parked).toMatchObject({ state: 'parked', error: { kind: 'config', detail: 'Unknown status 999' } });
    expect((await drainOutbox(db, all(async () => {}), clock())).done).toBe(0);
    expect(await retryLink(db, 'a', 0)).toBe(1);
    expect((await drainOutbox(db, all(async () => {}), clock())).done).toBe(1);
  });

  it('keeps what the runner recorded on its job when the job then fails', async () => {
    await db.add('outbox', job('a'));
    await drainOutbox(db, all(async (j) => {
      await db.put('outbox', { ...j, kind: 'comment-out', sourceId: '1', sourceText: 'x', text: 'x', inFlightSince: 5 } as OutboxJob);
      throw transient();
    }), clock());
    expect((await db.getAll('outbox'))[0]).toMatchObject({ inFlightSince: 5, attempts: 1, state: 'pending' });
  });

  it('parks a protocol error after three tries', async () => {
    const c = clock();
    await db.add('outbox', job('a'));
    const garbled = async () => { throw new OneBoxError({ kind: 'protocol', messageKey: 'error_protocol', endpoint: 'order/get' }); };
    for (let i = 0; i < 3; i++) {
      await drainOutbox(db, all(garbled), c);
      c.advance(10 * 60_000);
    }
    expect((await db.getAll('outbox'))[0]).toMatchObject({ state: 'parked', attempts: 3 });
  });

  it('counts garbled answers in a row: two 500s and one garbled answer do not park', async () => {
    const c = clock();
    await db.add('outbox', job('a'));
    const garbled = () => new OneBoxError({ kind: 'protocol', messageKey: 'error_protocol', endpoint: 'order/get' });
    for (const error of [transient(), transient(), garbled(), transient(), garbled(), garbled()]) {
      await drainOutbox(db, all(async () => { throw error; }), c);
      c.advance(10 * 60_000);
    }
    expect((await db.getAll('outbox'))[0]).toMatchObject({ state: 'pending', attempts: 6, protocolFailures: 2 });
    await drainOutbox(db, all(async () => { throw garbled(); }), c);
    expect((await db.getAll('outbox'))[0]).toMatchObject({ state: 'parked', protocolFailures: 3 });
  });
});

describe('singleFlight', () => {
  it('never runs the task twice at once, and runs once more when asked while running', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const task = singleFlight(async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((r) => setTimeout(r, 10));
      running -= 1;
      runs += 1;
    });
    await Promise.all([task(), task(), task()]);
    expect(maxRunning).toBe(1);
    expect(runs).toBe(2);
  });
});
