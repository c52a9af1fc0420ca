// A linked order's stage and mapped fields after the send (src/sync/order-state.ts), on the real
// engine: sandbox boxes over HTTP, the engine's virtual clock. The partner's stage reaches the
// link (the page and the popup show it from there); a mapped field changed in the own order reaches the partner's field once,
// also across a partner box that is down for a while; the stage map moves the own order once
// and nothing loops back.
import { afterEach, describe, expect, it } from 'vitest';
import { linkId } from '../../src/sync/db';
import { STATE_EVERY_MS, WATCHED_STATE_EVERY_MS } from '../../src/sync/order-state';
import { syncPass, watchOrder } from '../../src/sync/scheduler';
import { apiCall, CLIENT_DIALECT, tokenFor } from '../support/boxes';
import { newOrder, PEOPLE, startEngine, writeLinks, type EngineBench } from '../support/engine';
import type { Sandbox } from '../sandbox/index';

let bench: EngineBench;
let runs = 0;
afterEach(async () => {
  await bench?.close();
});

/** One linked order pair, sent as a finished send leaves it: stage "New" (56) in box B, the deadline field empty on both sides. */
async function linkedPair(): Promise<{ local: string; remote: string }> {
  bench = await startEngine({ name: `order-state-${++runs}`, holdSeconds: 3, virtual: true, limits: { perSecond: 1000, inFlight: 4 }, dialect: { ...CLIENT_DIALECT.wrapped, changes: 'comments-batch' } });
  const pair = { local: await newOrder(bench.boxA, 'A'), remote: await newOrder(bench.boxB, 'B') };
  await writeLinks(bench, [[pair.local, pair.remote]]);
  const id = linkId('buyer-b', pair.local);
  const link = (await bench.ctx.db.get('links', id))!;
  await bench.ctx.db.put('links', { ...link, remoteStage: { id: '56', name: 'New', since: bench.ctx.now() }, mappedFields: { sent: { partner_deadline: '' } } });
  return pair;
}

async function change(box: Sandbox, side: keyof typeof PEOPLE, record: Record<string, unknown>): Promise<void> {
  await apiCall(box.url, 'order/set', [record], await tokenFor(box.url, PEOPLE[side].login, PEOPLE[side].password));
}

const passesFor = async (ms: number, step = 10_000) => {
  for (let at = 0; at <= ms; at += step) {
    await syncPass(bench.ctx);
    bench.clock.at += step;
  }
};

/** The order/set calls a box took for an order (faults left out: those never reached it). */
const writesTo = (box: Sandbox, orderId: string) => box.log.filter((call) => call.entity === 'order' && call.action === 'set' && !call.fault
  && JSON.stringify(call.body).includes(`"orderid":${orderId}`)).length;
const orderIn = (box: Sandbox, orderId: string) => box.state.orders.find((order) => order.id === orderId)!;

describe('after the send: the partner’s stage and the mapped fields', () => {
  it('the partner’s new stage is on the link by name within one state turn, and within seconds while the page is open', async () => {
    const { local, remote } = await linkedPair();
    await passesFor(0);
    await change(bench.boxB, 'B', { orderid: Number(remote), statusid: 57 });
    await passesFor(STATE_EVERY_MS);
    const stageOf = async () => (await bench.ctx.db.get('links', linkId('buyer-b', local)))!.remoteStage;
    expect(await stageOf()).toMatchObject({ id: '57', name: 'In progress' });

    await change(bench.boxB, 'B', { orderid: Number(remote), statusid: 58 });
    await watchOrder(bench.ctx, local);
    await passesFor(WATCHED_STATE_EVERY_MS, 1_000);
    expect(await stageOf()).toMatchObject({ id: '58', name: 'Done' });
  });

  it('a mapped field changed in the own order reaches the partner’s field once, also with the partner box down for a while', async () => {
    const { local, remote } = await linkedPair();
    bench.ctx.settings.partners[0]!.fieldMap = [{ from: 'deadline', to: 'partner_deadline' }];
    await passesFor(0);
    await change(bench.boxA, 'A', { orderid: Number(local), customfields: { deadline: '2026-12-24' } });
    bench.boxB.faults.down();
    await passesFor(2 * STATE_EVERY_MS);
    expect(orderIn(bench.boxB, remote).customfields.partner_deadline ?? '').toBe('');
    bench.boxB.faults.up();
    await passesFor(STATE_EVERY_MS);
    expect(orderIn(bench.boxB, remote).customfields.partner_deadline).toBe('2026-12-24');
    expect(writesTo(bench.boxB, remote)).toBe(1);
    // Read again and again: nothing new to write.
    await passesFor(2 * STATE_EVERY_MS);
    expect(writesTo(bench.boxB, remote)).toBe(1);
    expect(await bench.ctx.db.count('outbox')).toBe(0);
    expect((await bench.ctx.db.get('links', linkId('buyer-b', local)))!.mappedFields).toEqual({ sent: { partner_deadline: '2026-12-24' } });
  });

  it('the stage map moves the own order once when the partner reaches the stage; the own move goes nowhere', async () => {
    const { local, remote } = await linkedPair();
    bench.ctx.settings.partners[0]!.stageMap = [{ from: 58, to: 10 }];
    await passesFor(0);
    // A stage the map does not name moves nothing.
    await change(bench.boxB, 'B', { orderid: Number(remote), statusid: 57 });
    await passesFor(STATE_EVERY_MS);
    expect(orderIn(bench.boxA, local).statusid).toBe('8');
    await change(bench.boxB, 'B', { orderid: Number(remote), statusid: 58 });
    await passesFor(STATE_EVERY_MS);
    expect(orderIn(bench.boxA, local).statusid).toBe('10');
    expect(writesTo(bench.boxA, local)).toBe(1);
    await passesFor(3 * STATE_EVERY_MS);
    expect(writesTo(bench.boxA, local)).toBe(1);
    // Nothing was written into the partner's process: the own order's move does not go back.
    expect(writesTo(bench.boxB, remote)).toBe(2);
    expect(orderIn(bench.boxB, remote).statusid).toBe('58');
  });
});
