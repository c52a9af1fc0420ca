// The comment sync's promises, run on the real engine in Node: fake IndexedDB, real OneBox
// clients over HTTP to two sandbox boxes. Crashes are staged by leaving the database exactly as
// a worker stopped at that moment leaves it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attributed, ownCompanyLabel, pollLink, recordIntent, switchToPrivate } from '../../src/sync/comments';
import { linkId, type CommentJob } from '../../src/sync/db';
import { syncPass } from '../../src/sync/scheduler';
import { apiCall, tokenFor } from '../browser/setup';
import { newOrder, PEOPLE, startEngine, writeLinks, type EngineBench } from '../support/engine';

let bench: EngineBench;
let local: string;
let remote: string;
let runs = 0;

beforeEach(async () => {
  bench = await startEngine({ name: `comment-engine-${++runs}`, holdSeconds: 0, virtual: false, limits: { perSecond: 1000, inFlight: 4 } });
  [local, remote] = [await newOrder(bench.boxA, 'A'), await newOrder(bench.boxB, 'B')];
  await writeLinks(bench, [[local, remote]]);
});
afterEach(async () => {
  await bench.close();
});

const link = () => linkId('buyer-b', local);
const comments = (box: 'A' | 'B') =>
  (box === 'A' ? bench.boxA : bench.boxB).state.comments.filter((c) => c.orderid === (box === 'A' ? local : remote)).map((c) => c.content);

async function write(box: 'A' | 'B', content: string, as: { login: string; password: string } = box === 'A' ? PEOPLE.A : PEOPLE.B): Promise<void> {
  const target = box === 'A' ? bench.boxA : bench.boxB;
  await apiCall(target.url, 'comment/set', [{ orderid: Number(box === 'A' ? local : remote), content, clientvisible: 1 }], await tokenFor(target.url, as.login, as.password));
}

/** The worker stopped right after the box accepted the copy: the job is marked in flight, nothing recorded. */
async function crashAfterWrite(kind: CommentJob['kind'], copyIn: 'A' | 'B', as: { login: string; password: string }): Promise<void> {
  const [job] = (await bench.ctx.db.getAllFromIndex('outbox', 'byLink', link())).filter((j): j is CommentJob => j.kind === kind);
  expect(job).toBeDefined();
  await bench.ctx.db.put('outbox', { ...job!, inFlightSince: Date.now() });
  await write(copyIn, job!.text, as);
}

const integration = { login: 'partner-sync', password: 'sync-secret' };

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await bench.ctx.db.put('links', { ...(await bench.ctx.db.get('links', link()))!, nextPollAt: 0 });
    await syncPass(bench.ctx);
  }
}

describe('comment sync on the real engine', () => {
  it('an outbound copy that landed before it was recorded is found, not written again, and not echoed', async () => {
    await write('A', 'Delivery on Monday');
    await pollLink(bench.ctx, link());
    await crashAfterWrite('comment-out', 'B', integration);
    await settle();
    const company = ownCompanyLabel(bench.ctx.settings.ownBox!.url);
    expect(comments('B')).toEqual([attributed('Olena Kovalenko', company, 'Delivery on Monday')]);
    expect(comments('A')).toEqual(['Delivery on Monday']);
    expect(await bench.ctx.db.count('outbox')).toBe(0);
  });

  it('an inbound copy that landed before it was recorded is not sent back to the partner', async () => {
    await write('B', 'Confirmed');
    await pollLink(bench.ctx, link());
    await crashAfterWrite('comment-in', 'A', PEOPLE.A);
    await settle();
    expect(comments('A')).toEqual([attributed('Ivan Petrenko', 'Buyer B', 'Confirmed')]);
    expect(comments('B')).toEqual(['Confirmed']);
  });

  it('the pictogram decides, whether its choice arrives before the poll or during the hold window', async () => {
    await recordIntent(bench.ctx, local, 'Told before the poll', false);
    await write('A', 'Told before the poll');
    await write('A', 'Told during the hold');
    const holding = { ...bench.ctx, settings: { ...bench.ctx.settings, preferences: { ...bench.ctx.settings.preferences, holdSeconds: 60 } } };
    await pollLink(holding, link());
    await recordIntent(bench.ctx, local, 'Told during the hold', false);
    await write('A', 'Shared');
    await settle();
    expect(comments('B').map((c) => c.replace(/^.*?: /, ''))).toEqual(['Shared']);
    const states = (await bench.ctx.db.getAllFromIndex('comments', 'byLink', link())).filter((r) => r.side === 'local').map((r) => r.state);
    expect(states).toEqual(['private', 'private', 'sent']);
  });

  it('a comment switched to private from its mark leaves nothing behind in the outbox', async () => {
    await write('A', 'Second thoughts');
    const holding = { ...bench.ctx, settings: { ...bench.ctx.settings, preferences: { ...bench.ctx.settings.preferences, holdSeconds: 60 } } };
    await pollLink(holding, link());
    const [record] = await bench.ctx.db.getAllFromIndex('comments', 'byLink', link());
    expect(await switchToPrivate(bench.ctx, local, record!.commentId)).toBe(true);
    expect(await bench.ctx.db.count('outbox')).toBe(0);
    expect(await switchToPrivate(bench.ctx, local, record!.commentId)).toBe(false);
    await settle();
    expect(comments('B')).toEqual([]);
  });
});
