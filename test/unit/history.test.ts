// The history of a linked order (src/sync/history.ts, src/background/history-view.ts): each
// event of a send and its comments, stage and fields is recorded once, on the real engine
// (sandbox boxes over HTTP, the engine's virtual clock); the list is bounded per link; the
// sentences are in the user's language and the CSV opens as it is in a spreadsheet.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { recordCommentChoice } from '../../src/sync/comments';
import { linkId, openSyncDb } from '../../src/sync/db';
import { requestSend } from '../../src/sync/engine';
import { addHistory, excerptOf, HISTORY_PER_LINK, historyOf } from '../../src/sync/history';
import { STATE_EVERY_MS } from '../../src/sync/order-state';
import { syncPass } from '../../src/sync/scheduler';
import { apiCall, commentSetOf, tokenFor } from '../support/boxes';
import { newOrder, PEOPLE, startEngine, type EngineBench } from '../support/engine';

// The views read the browser's language and open pages' problems: English, none.
vi.mock('../../src/platform/browser-api', () => ({ uiLanguage: () => 'en', sessionStore: { get: async () => ({}) } }));
const { csvCell, csvText, historyView } = await import('../../src/background/history-view');

let bench: EngineBench | undefined;
afterEach(async () => {
  await bench?.close();
  bench = undefined;
});

describe('the history store', () => {
  it('keeps each link’s newest entries up to the bound, oldest first, apart from other links’', async () => {
    const db = await openSyncDb('history-bound');
    for (let n = 0; n < HISTORY_PER_LINK + 5; n += 1) await addHistory(db, { linkId: 'buyer-b|1', at: n, event: 'comment-sent', excerpt: `#${n}` });
    await addHistory(db, { linkId: 'buyer-b|2', at: 3, event: 'sent', remoteOrderId: '9' });
    const kept = await historyOf(db, ['buyer-b|1']);
    expect(kept).toHaveLength(HISTORY_PER_LINK);
    expect(kept[0]).toMatchObject({ at: 5, excerpt: '#5' });
    expect(kept.at(-1)).toMatchObject({ at: HISTORY_PER_LINK + 4 });
    expect((await historyOf(db, ['buyer-b|1', 'buyer-b|2'])).filter((e) => e.linkId === 'buyer-b|2')).toHaveLength(1);
    db.close();
  });

  it('quotes a comment on one line, cut short', () => {
    expect(excerptOf('  Shipping\n\non Monday  ')).toBe('Shipping on Monday');
    const long = excerptOf('я'.repeat(500));
    expect([...long]).toHaveLength(120);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('the CSV export', () => {
  it('quotes what must be quoted and never hands a spreadsheet a formula', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, "b"')).toBe('"a, ""b"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    for (const formula of ['=HYPERLINK("x")', '+1', '-1', '@SUM(A1)', '\tx']) expect(csvCell(formula).replace(/^"/, '')).toMatch(/^'/);
    expect(csvText([['a', 'b'], ['c', 'd']])).toBe('\uFEFFa,b\r\nc,d\r\n');
  });
});

describe('a linked order’s history on the engine', () => {
  const passesFor = async (ms: number, step = 5_000) => {
    for (let at = 0; at <= ms; at += step) {
      await syncPass(bench!.ctx);
      bench!.clock.at += step;
    }
  };
  async function write(box: 'A' | 'B', orderId: string, content: string, clientvisible = 1): Promise<string> {
    const target = box === 'A' ? bench!.boxA : bench!.boxB;
    const ids = await apiCall(target.url, commentSetOf(target), [{ orderid: Number(orderId), content, clientvisible }], await tokenFor(target.url, PEOPLE[box].login, PEOPLE[box].password));
    return String((ids as unknown[])[0]);
  }
  async function setOrder(box: 'A' | 'B', record: Record<string, unknown>): Promise<void> {
    const target = box === 'A' ? bench!.boxA : bench!.boxB;
    await apiCall(target.url, 'order/set', [record], await tokenFor(target.url, PEOPLE[box].login, PEOPLE[box].password));
  }

  it('lists every event once, in order, and says each in the user’s language, also as CSV', async () => {
    bench = await startEngine({ name: 'history-engine', holdSeconds: 3, virtual: true, limits: { perSecond: 1000, inFlight: 4 } });
    const { ctx } = bench;
    ctx.settings.partners[0]!.fieldMap = [{ from: 'deadline', to: 'partner_deadline' }];
    const local = await newOrder(bench.boxA, 'A');
    const id = linkId('buyer-b', local);

    // The partner box is down for the first try of the send: a failure, then a retry that sends.
    bench.boxB.faults.down();
    await requestSend(ctx, 'buyer-b', local, 'click');
    await passesFor(0);
    bench.boxB.faults.up();
    await passesFor(10_000);
    const remote = (await ctx.db.get('links', id))!.remoteOrderId!;

    // Each step waits out change detection's look (twice a minute) and the hold window.
    const settle = () => passesFor(70_000);
    await write('A', local, 'Shipping on Monday');
    await settle();
    const secret = await write('A', local, 'Our margin is 30%');
    await recordCommentChoice(ctx, local, secret, false);
    await settle();
    await write('A', local, 'Internal only', 0);
    await settle();
    await write('B', remote, 'Thank you');
    await settle();
    await write('B', remote, 'Note for our team', 0);
    await settle();
    await setOrder('B', { orderid: Number(remote), statusid: 57 });
    await setOrder('A', { orderid: Number(local), customfields: { deadline: '2026-12-24' } });
    await passesFor(STATE_EVERY_MS + 10_000);

    const events = (await historyOf(ctx.db, [id])).map((entry) => entry.event);
    expect(events).toEqual([
      'failed', 'retried', 'sent', 'comment-sent', 'comment-private', 'comment-filtered', 'comment-received', 'comment-filtered', 'stage-changed', 'field-updated',
    ]);
    // Quiet passes add nothing.
    await passesFor(2 * STATE_EVERY_MS, 30_000);
    expect(await historyOf(ctx.db, [id])).toHaveLength(events.length);

    const view = await historyView(ctx, local, [id], 'uk', 'history.csv');
    expect(view.entries.map((e) => e.event)).toEqual([...events].reverse());
    const texts = view.entries.map((e) => e.text);
    expect(texts).toContain('Процес партнера Buyer B перейшов на етап «In progress»');
    expect(texts).toContain('Поля оновлено в процесі партнера Buyer B: partner_deadline = 2026-12-24');
    expect(texts).toContain('Коментар залишився приватним: «Our margin is 30%»');
    expect(texts).toContain(`Надіслано партнеру Buyer B: процес #${remote}`);
    for (const text of texts) expect(text).not.toMatch(/\$\d|history_|popup_/);

    const lines = view.csv.text.split('\r\n');
    expect(lines[0]).toBe('\uFEFFЧас (UTC),Місцевий час,Замовлення,Партнер,Подія,Що сталося,Слова боксу');
    expect(lines).toHaveLength(events.length + 2);
    expect(lines.at(-1)).toBe('');
    // The local time has a comma in it ("04.12.26, 15:10:09"): quoted.
    expect(lines[1]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[^,]+Z,"[^"]+",${local},Buyer B,failed,`));
  });
});
