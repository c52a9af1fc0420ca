// The comment sync's promises, run on the real engine in Node: fake IndexedDB, real OneBox
// clients over HTTP to two sandbox boxes, and the engine's virtual clock, so "it never leaves"
// and "it waits" are proven without sleeping. Crashes are staged by leaving the database exactly
// as a worker stopped at that moment leaves it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  attributed, IN_FLIGHT_SETTLE_MS, ownCompanyLabel, pollLink, recordCommentChoice, recordComposerChoice,
} from '../../src/sync/comments';
import { linkId, type CommentJob } from '../../src/sync/db';
import { createRunners, requestSend } from '../../src/sync/engine';
import { drainOutbox } from '../../src/sync/outbox';
import { AUTO_SEND_EVERY_MS, ROUTINE_POLLS_PER_MINUTE, syncPass } from '../../src/sync/scheduler';
import { apiCall, commentSetOf, tokenFor } from '../support/boxes';
import { newOrder, PEOPLE, startEngine, writeLinks, type EngineBench } from '../support/engine';

// The order page's and the popup's views are built in the worker, which reads the browser's language.
// The views read open pages' problems from session storage: none here.
vi.mock('../../src/platform/browser-api', () => ({ uiLanguage: () => 'en', sessionStore: { get: async () => ({}) } }));
const { orderState, popupOverview } = await import('../../src/background/views');

let bench: EngineBench;
let local: string;
let remote: string;
let runs = 0;

beforeEach(async () => {
  bench = await startEngine({ name: `comment-engine-${++runs}`, holdSeconds: 3, virtual: true, limits: { perSecond: 1000, inFlight: 4 } });
  [local, remote] = [await newOrder(bench.boxA, 'A'), await newOrder(bench.boxB, 'B')];
  await writeLinks(bench, [[local, remote]]);
});
afterEach(async () => {
  await bench.close();
});

const link = () => linkId('buyer-b', local);
const comments = (box: 'A' | 'B') =>
  (box === 'A' ? bench.boxA : bench.boxB).state.comments.filter((c) => c.orderid === (box === 'A' ? local : remote)).map((c) => c.content);
const bodies = (box: 'A' | 'B') => comments(box).map((c) => c.replace(/^.*?: /, ''));
const advance = (ms: number) => void (bench.clock.at += ms);
/** Ivan is a colleague of Olena's in box A (the extension's user is Olena, user 1). */
const colleagueInA = { login: 'ivan', password: 'ivan-secret' };
const integration = { login: 'partner-sync', password: 'sync-secret' };

/** Writes a comment as a person of that box would; returns its id. */
async function write(box: 'A' | 'B', content: string, as: { login: string; password: string } = box === 'A' ? PEOPLE.A : PEOPLE.B, clientvisible = 1): Promise<string> {
  const target = box === 'A' ? bench.boxA : bench.boxB;
  const ids = await apiCall(target.url, commentSetOf(target), [{ orderid: Number(box === 'A' ? local : remote), content, clientvisible }], await tokenFor(target.url, as.login, as.password));
  return String((ids as unknown[])[0]);
}

/** The page of Olena's order told the worker who is signed in (as every order page does). */
const pageSeenBy = (share: boolean) => recordComposerChoice(bench.ctx, local, share, '1');

/** The worker stopped right after the box accepted the copy: the job is marked in flight, nothing recorded. */
async function crashAfterWrite(kind: CommentJob['kind'], copyIn: 'A' | 'B', as: { login: string; password: string }): Promise<void> {
  const [job] = (await bench.ctx.db.getAllFromIndex('outbox', 'byLink', link())).filter((j): j is CommentJob => j.kind === kind);
  expect(job).toBeDefined();
  await bench.ctx.db.put('outbox', { ...job!, inFlightSince: bench.clock.at });
  await write(copyIn, job!.text, as);
}

/** Passes with the hold window and any in-flight wait over, as time going by leaves them. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    advance(IN_FLIGHT_SETTLE_MS);
    await bench.ctx.db.put('links', { ...(await bench.ctx.db.get('links', link()))!, nextPollAt: 0 });
    await syncPass(bench.ctx);
  }
}

const localStates = async () =>
  (await bench.ctx.db.getAllFromIndex('comments', 'byLink', link())).filter((r) => r.side === 'local' && r.role === 'original').map((r) => r.state);

describe('comment sync on the real engine: exactly once', () => {
  it('an outbound copy that landed before it was recorded is found, not written again, and not echoed', async () => {
    await write('A', 'Delivery on Monday');
    await pollLink(bench.ctx, link());
    advance(3_000);
    await crashAfterWrite('comment-out', 'B', integration);
    await settle();
    const company = ownCompanyLabel(bench.ctx.settings.ownBox!);
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

  it('mentions and files arrive as plain text both ways, and a copy that landed unrecorded is found by that text', async () => {
    await write('A', 'Готово, [Іван Петренко#31]: [file]5[/file]');
    await write('B', '[Олена Коваленко#1], дякую');
    await pollLink(bench.ctx, link());
    advance(3_000);
    await crashAfterWrite('comment-out', 'B', integration);
    await settle();
    const company = ownCompanyLabel(bench.ctx.settings.ownBox!);
    expect(comments('B')).toEqual(['[Олена Коваленко#1], дякую', `Olena Kovalenko (${company}): Готово, @Іван Петренко: [file in ${company}'s box]`]);
    expect(comments('A')).toEqual(['Готово, [Іван Петренко#31]: [file]5[/file]', 'Ivan Petrenko (Buyer B): @Олена Коваленко, дякую']);
    expect(await bench.ctx.db.count('outbox')).toBe(0);
  });

  it('a write still in transit after a stop is waited for, not written a second time', async () => {
    await write('A', 'Still on its way');
    await pollLink(bench.ctx, link());
    advance(3_000);
    const [job] = await bench.ctx.db.getAllFromIndex('outbox', 'byLink', link());
    // The worker stopped with the write sent; the box has not acted on it yet.
    await bench.ctx.db.put('outbox', { ...(job as CommentJob), inFlightSince: bench.clock.at });
    advance(1_000);
    await syncPass(bench.ctx);
    expect(comments('B')).toEqual([]);
    const [waiting] = await bench.ctx.db.getAllFromIndex('outbox', 'byLink', link());
    expect(waiting).toMatchObject({ notBefore: bench.clock.at - 1_000 + IN_FLIGHT_SETTLE_MS, attempts: 0 });
    // Now the first write lands, late; the retry finds it once the wait is over.
    await write('B', (job as CommentJob).text, integration);
    advance(IN_FLIGHT_SETTLE_MS);
    await syncPass(bench.ctx);
    expect(bodies('B')).toEqual(['Still on its way']);
    expect(await bench.ctx.db.count('outbox')).toBe(0);
  });

  it('a write that got an error answer is looked for at once, and written once when it is not there', async () => {
    await write('A', 'Answered with 500');
    await pollLink(bench.ctx, link());
    advance(3_000);
    bench.boxB.faults.failNext(1);
    await syncPass(bench.ctx);
    expect(comments('B')).toEqual([]);
    const [job] = await bench.ctx.db.getAllFromIndex('outbox', 'byLink', link());
    expect(job).toMatchObject({ writeEnded: true, attempts: 1 });
    advance(60_000);
    await syncPass(bench.ctx);
    expect(bodies('B')).toEqual(['Answered with 500']);
  });
});

describe('comment sync on the real engine: private stays private', () => {
  it('a choice bound to the comment decides it, before the poll or during the hold window', async () => {
    await pageSeenBy(true);
    const before = await write('A', 'Told before the poll');
    await recordCommentChoice(bench.ctx, local, before, false, '1');
    const during = await write('A', 'Told during the hold');
    await pollLink(bench.ctx, link());
    advance(1_000);
    await recordCommentChoice(bench.ctx, local, during, false, '1');
    await write('A', 'Shared');
    await settle();
    expect(bodies('B')).toEqual(['Shared']);
    expect(await localStates()).toEqual(['private', 'private', 'sent']);
  });

  it('two identical texts by two authors: the author’s private choice stays with the author’s comment', async () => {
    await pageSeenBy(true);
    // The colleague's "ok" comes first and is polled first; the author's follows and is private.
    await write('A', 'ok', colleagueInA);
    const mine = await write('A', 'ok');
    await pollLink(bench.ctx, link());
    await recordCommentChoice(bench.ctx, local, mine, false, '1');
    await settle();
    expect(comments('B')).toEqual([attributed('Ivan Petrenko', ownCompanyLabel(bench.ctx.settings.ownBox!), 'ok')]);
    expect(await localStates()).toEqual(['sent', 'private']);
  });

  it('a choice bound to another author than the comment’s keeps it private', async () => {
    await pageSeenBy(true);
    const colleagues = await write('A', 'Not yours', colleagueInA);
    await recordCommentChoice(bench.ctx, local, colleagues, true, '1');
    await settle();
    expect(comments('B')).toEqual([]);
  });

  it('with no choice on record, shareByDefault off keeps the user’s comment private, client-visible or not', async () => {
    bench.ctx.settings.preferences.shareByDefault = false;
    await write('A', 'From the mobile app');
    await settle();
    expect(comments('B')).toEqual([]);
    expect(await localStates()).toEqual(['private']);
    bench.ctx.settings.preferences.shareByDefault = true;
    await write('A', 'Also from the app');
    await settle();
    expect(bodies('B')).toEqual(['Also from the app']);
  });

  it('a colleague’s comment follows the client-visible filter', async () => {
    await pageSeenBy(true);
    await write('A', 'Internal', colleagueInA, 0);
    await write('A', 'For the customer', colleagueInA, 1);
    await settle();
    expect(bodies('B')).toEqual(['For the customer']);
    expect(await localStates()).toEqual(['skipped', 'sent']);
  });

  it('the pictogram left on private decides however long the link stays quiet (the page closed at once)', async () => {
    await pageSeenBy(false);
    await write('A', 'Read only much later');
    // The link is quiet: its next read is half an hour away, and more time passes on top.
    await bench.ctx.db.put('links', { ...(await bench.ctx.db.get('links', link()))!, nextPollAt: bench.clock.at + 30 * 60_000 });
    advance(12 * 60_000);
    await syncPass(bench.ctx);
    advance(60 * 60_000);
    await settle();
    expect(comments('B')).toEqual([]);
    expect(await localStates()).toEqual(['private']);
  });

  it('recording a choice brings the link’s next read forward', async () => {
    await bench.ctx.db.put('links', { ...(await bench.ctx.db.get('links', link()))!, nextPollAt: bench.clock.at + 30 * 60_000 });
    await pageSeenBy(false);
    expect((await bench.ctx.db.get('links', link()))!.nextPollAt).toBe(bench.clock.at);
  });

  it('the hold window has a floor of 3 s, whatever the settings say', async () => {
    bench.ctx.settings.preferences.holdSeconds = 0;
    await pageSeenBy(true);
    await write('A', 'Held anyway');
    await pollLink(bench.ctx, link());
    advance(2_999);
    await drainOutbox(bench.ctx.db, createRunners(bench.ctx), { now: bench.ctx.now, random: () => 0 });
    expect(comments('B')).toEqual([]);
    advance(1);
    await drainOutbox(bench.ctx.db, createRunners(bench.ctx), { now: bench.ctx.now, random: () => 0 });
    expect(bodies('B')).toEqual(['Held anyway']);
  });

  it('a switch to private landing just before the write starts: nothing leaves, and it says recorded', async () => {
    await pageSeenBy(true);
    const id = await write('A', 'Second thoughts');
    await pollLink(bench.ctx, link());
    advance(3_000);
    const runners = createRunners(bench.ctx);
    let outcome: string | undefined;
    // The drain has read the job; the switch is asked for before the runner's claim.
    const result = await drainOutbox(bench.ctx.db, {
      ...runners,
      'comment-out': (job) => {
        const switching = recordCommentChoice(bench.ctx, local, id, false, '1').then((o) => void (outcome = o));
        return Promise.all([switching, runners['comment-out'](job)]).then(() => undefined);
      },
    }, { now: bench.ctx.now, random: () => 0 });
    expect(result.failed).toBe(0);
    expect(outcome).toBe('recorded');
    expect(comments('B')).toEqual([]);
    expect(await localStates()).toEqual(['private']);
    expect(await bench.ctx.db.count('outbox')).toBe(0);
  });

  it('a switch to private landing once the write has started says already sent, and the records say sent', async () => {
    await pageSeenBy(true);
    const id = await write('A', 'Too late');
    await pollLink(bench.ctx, link());
    advance(3_000);
    let outcome: string | undefined;
    const ctx = {
      ...bench.ctx,
      clientFor: (box: Parameters<typeof bench.ctx.clientFor>[0]) => {
        const client = bench.ctx.clientFor(box);
        if (box.url !== bench.boxB.url) return client;
        return Object.assign(Object.create(client) as typeof client, {
          addComment: async (orderId: string, text: string, visible: boolean) => {
            outcome = await recordCommentChoice(bench.ctx, local, id, false, '1');
            return client.addComment(orderId, text, visible);
          },
        });
      },
    };
    await drainOutbox(ctx.db, createRunners(ctx), { now: ctx.now, random: () => 0 });
    expect(outcome).toBe('already-sent');
    expect(bodies('B')).toEqual(['Too late']);
    expect(await localStates()).toEqual(['sent']);
  });
});

describe('the outbox at its edges: repeated text, re-run sends, busy passes', () => {
  it('"ok" twice, each write committed and its answer dropped: each job finds its own copy, nothing lost or echoed', async () => {
    await write('A', 'ok');
    await write('A', 'ok');
    await pollLink(bench.ctx, link());
    advance(3_000);
    for (let i = 0; i < 2; i++) {
      bench.boxB.faults.commitThenDropNextWrite();
      await syncPass(bench.ctx);
      advance(IN_FLIGHT_SETTLE_MS);
    }
    await settle();
    expect(bodies('B')).toEqual(['ok', 'ok']);
    expect(comments('A')).toEqual(['ok', 'ok']);
    expect(await localStates()).toEqual(['sent', 'sent']);
    const copies = (await bench.ctx.db.getAllFromIndex('comments', 'byLink', link())).filter((r) => r.role === 'copy');
    expect(new Set(copies.map((r) => r.commentId)).size).toBe(2);
  });

  it('a send job run again on a linked link (a stop before it was removed) keeps the cursors', async () => {
    const first = await write('A', 'Before the stop');
    await pollLink(bench.ctx, link());
    const linked = (await bench.ctx.db.get('links', link()))!;
    expect(linked.localCursor).toBe(first);
    await write('A', 'Written meanwhile');
    await bench.ctx.db.add('outbox', { kind: 'send-order', linkId: link(), lane: link(), state: 'pending', attempts: 0, notBefore: 0, createdAt: bench.clock.at });
    await drainOutbox(bench.ctx.db, createRunners(bench.ctx), { now: bench.ctx.now, random: () => 0.5 });
    expect((await bench.ctx.db.get('links', link()))!.localCursor).toBe(first);
    await settle();
    expect(bodies('B')).toEqual(['Before the stop', 'Written meanwhile']);
  });

  it('comments written while a send waits for a partner box that is down are synced once it is linked', async () => {
    const order = await newOrder(bench.boxA, 'A');
    const id = linkId('buyer-b', order);
    bench.boxB.faults.down();
    await requestSend(bench.ctx, 'buyer-b', order, 'click');
    await syncPass(bench.ctx);
    expect((await bench.ctx.db.get('links', id))!.state).toBe('sending');
    const token = await tokenFor(bench.boxA.url, PEOPLE.A.login, PEOPLE.A.password);
    await apiCall(bench.boxA.url, 'comment/set', [{ orderid: Number(order), content: 'While the partner was down', clientvisible: 1 }], token);
    bench.boxB.faults.up();
    for (let i = 0; i < 4; i++) {
      advance(IN_FLIGHT_SETTLE_MS);
      await syncPass(bench.ctx);
    }
    const made = (await bench.ctx.db.get('links', id))!;
    expect(made.state).toBe('linked');
    const inB = bench.boxB.state.comments.filter((c) => c.orderid === made.remoteOrderId && c.type === 'comment').map((c) => c.content);
    expect(inB).toEqual([expect.stringMatching(/: While the partner was down$/)]);
  });

  it('a queued delivery goes out before a burst of due polls, not after it', async () => {
    await write('A', 'Due now');
    await pollLink(bench.ctx, link());
    advance(3_000);
    await writeLinks(bench, Array.from({ length: 60 }, (_, i): [string, string] => [String(900_000 + i), String(900_000 + i)]));
    const from = bench.boxB.log.length;
    await syncPass(bench.ctx);
    const calls = bench.boxB.log.slice(from).map((c) => `${c.entity}/${c.action}`);
    expect(calls.indexOf('comment/set')).toBeGreaterThanOrEqual(0);
    expect(calls.indexOf('comment/set')).toBeLessThan(3);
    // Reads of one order each (change detection's reads name many): the burst is spread, the
    // minute's allowance now, the rest (and the first link, due again) in the next minute.
    const oneOrderReads = (since: number) => bench.boxB.log.slice(since).flatMap((c) => {
      const asked = c.entity === 'comment' && c.action === 'get' ? (c.body as { filter: { orderid: unknown[] } }).filter.orderid : [];
      return asked.length === 1 ? [String(asked[0])] : [];
    });
    expect(oneOrderReads(from)).toHaveLength(ROUTINE_POLLS_PER_MINUTE);
    advance(60_000);
    const next = bench.boxB.log.length;
    await syncPass(bench.ctx);
    expect(oneOrderReads(next).length).toBeLessThanOrEqual(ROUTINE_POLLS_PER_MINUTE);
    const links = await bench.ctx.db.getAll('links');
    expect(new Set([...oneOrderReads(from)])).toEqual(new Set(links.map((l) => l.remoteOrderId)));
  });

  it('auto-send rules are checked on their own turn, once a minute, not on every pass', async () => {
    bench.ctx.settings.partners[0]!.autoSend = { workflowId: 3, statusId: 9 };
    // Reads of orders by stage (box A's dialect discovery reads orders too, once).
    const stageReads = () => bench.boxA.log.filter((c) => c.entity === 'order' && c.action === 'get' && JSON.stringify(c.body).includes('"statusid":[')).length;
    const before = stageReads();
    for (let i = 0; i < 6; i++) {
      await syncPass(bench.ctx);
      advance(10_000);
    }
    expect(stageReads() - before).toBe(1);
    advance(AUTO_SEND_EVERY_MS);
    await syncPass(bench.ctx);
    expect(stageReads() - before).toBe(2);
    // A rule just changed is looked at at once.
    bench.ctx.settings.partners[0]!.autoSend = { workflowId: 3, statusId: 10 };
    await syncPass(bench.ctx);
    expect(stageReads() - before).toBe(3);
  });
});

describe('box B on the top-level dialect', () => {
  it('syncs comments both ways, in the dialect discovered on B’s first use', async () => {
    bench.boxB.quirks.dialect = 'top-level';
    await write('A', 'Shipping on Monday');
    await write('B', 'Thank you');
    await pollLink(bench.ctx, link());
    await settle();
    const company = ownCompanyLabel(bench.ctx.settings.ownBox!);
    expect(comments('B')).toEqual(['Thank you', attributed('Olena Kovalenko', company, 'Shipping on Monday')]);
    expect(comments('A')).toEqual(['Shipping on Monday', attributed('Ivan Petrenko', 'Buyer B', 'Thank you')]);
    expect(await bench.ctx.db.count('outbox')).toBe(0);
    // B was read and written only in its own dialect once discovered: no comment/* call answered.
    const routes = bench.boxB.log.map((call) => `${call.entity}/${call.action}`);
    expect(routes).toContain('order/comments/set');
    expect(routes.filter((route) => route === 'comment/set')).toEqual([]);
    // Later passes use the stored dialect: no second discovery (the only reader of contacts here).
    const before = bench.boxB.log.length;
    await settle();
    expect(bench.boxB.log.slice(before).every((call) => call.entity !== 'contact')).toBe(true);
  });
});

describe('the echo guard does not swallow a person’s comment', () => {
  it('a comment that only looks like an in-flight copy is read again once that copy is accounted for', async () => {
    await write('B', 'ok');
    await pollLink(bench.ctx, link());
    // The worker stopped with the inbound copy written; then Olena types the very same text.
    await crashAfterWrite('comment-in', 'A', PEOPLE.A);
    const [job] = await bench.ctx.db.getAllFromIndex('outbox', 'byLink', link());
    await write('A', (job as CommentJob).text);
    await pageSeenBy(true);
    // Read while the copy is still unaccounted for: both look like it.
    await pollLink(bench.ctx, link());
    await settle();
    await settle();
    expect(comments('A')).toEqual([(job as CommentJob).text, (job as CommentJob).text]);
    // The copy went nowhere; Olena's own comment went to the partner, once.
    expect(bodies('B')).toEqual(['ok', (job as CommentJob).text]);
  });
});

describe('a box that answers with records not asked for changes nothing, and the link says so', () => {
  const side = { A: { other: 'B' as const, box: () => bench.boxA }, B: { other: 'A' as const, box: () => bench.boxB } };
  const FILTER_IGNORED = "The box answered with other records than the ones asked for (for example, another order's); nothing was done.";

  describe.each([
    ['ignores filters', 'ignoreFilters'],
    ['answers with another order’s comments', 'commentsOfAnotherOrder'],
  ] as const)('a box that %s', (_what, quirk) => {
    it.each(['A', 'B'] as const)('in box %s: nothing copied, no cursor moved, one error on the link; once it behaves, everything arrives once', async (quirky) => {
      const { other, box } = side[quirky];
      await write(quirky, 'Before the quirk');
      await settle();
      expect(bodies(other)).toEqual(['Before the quirk']);

      // Another process of that box has a comment: the very one a misread answer would hand over.
      const person = PEOPLE[quirky];
      const anotherOrder = await newOrder(box(), quirky);
      await apiCall(box().url, 'comment/set', [{ orderid: Number(anotherOrder), content: 'Another process', clientvisible: 1 }], await tokenFor(box().url, person.login, person.password));
      await write(quirky, 'Written while the box misreads');
      const before = { A: comments('A'), B: comments('B'), link: await bench.ctx.db.get('links', link()) };

      box().quirks[quirk] = true;
      await settle();
      expect([comments('A'), comments('B')]).toEqual([before.A, before.B]);
      const failed = (await bench.ctx.db.get('links', link()))!;
      expect([failed.localCursor, failed.remoteCursor]).toEqual([before.link!.localCursor, before.link!.remoteCursor]);
      expect(failed.error).toMatchObject({ kind: 'protocol', messageKey: 'error_filter_ignored' });
      expect(await bench.ctx.db.count('outbox')).toBe(0);
      // Shown where other link errors are: on the order page and in the popup, being retried.
      expect((await orderState(bench.ctx, local, 'en')).links[0]?.problem).toMatchObject({ text: FILTER_IGNORED, retrying: true });
      const overview = await popupOverview(bench.ctx);
      expect(overview.links[0]?.pollProblem).toMatchObject({ text: FILTER_IGNORED, retrying: true });
      expect(overview.totals.waiting).toBe(0);

      box().quirks[quirk] = false;
      await settle();
      expect(bodies(other)).toEqual(['Before the quirk', 'Written while the box misreads']);
      expect(comments(quirky)).toEqual(['Before the quirk', 'Written while the box misreads']);
      expect((await bench.ctx.db.get('links', link()))!.error).toBeUndefined();
      expect(await bench.ctx.db.count('outbox')).toBe(0);
    });
  });
});
