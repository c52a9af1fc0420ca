// Dialect discovery against the sandbox in both read dialects: what it finds, that it only
// reads, that the client stores and uses it, and one re-discovery when a stored one fails.
import { beforeEach, describe, expect, it } from 'vitest';
import type { SandboxDialect } from '../sandbox/index.ts';
import { useSandbox } from '../support/use-sandbox.ts';
import {
  DOCUMENTED_DIALECT,
  createInMemoryMemory,
  createOneBoxClient,
  type CapabilityFinding,
  type KeyValueMemory,
  type OneBoxClient,
} from '../../src/onebox/index.ts';
import { CLIENT_DIALECT } from '../support/boxes.ts';

const sandbox = useSandbox({ name: 'Buyer B' });


const EMPLOYEE = 'ivan@buyer-b.example';
const TEST_EXTERNAL_ID = 'partner-sync:connection-test';

function client(dialectMemory?: KeyValueMemory): OneBoxClient {
  return createOneBoxClient(
    { url: sandbox.url, login: 'partner-sync', restApiPassword: 'sync-secret' },
    { memory: createInMemoryMemory(), perSecond: 1000, inFlight: 4, ...(dialectMemory ? { dialectMemory } : {}) },
  );
}

const byCapability = (findings: CapabilityFinding[]) => Object.fromEntries(findings.map(({ capability, ...rest }) => [capability, rest]));
const callsSince = (start: number) => sandbox.log.slice(start).map((call) => `${call.entity}/${call.action}`);
const dialectKey = () => `onebox.dialect ${new URL(sandbox.url).origin}`;

describe.each<SandboxDialect>(['wrapped', 'top-level'])('discovery on a %s box', (dialect) => {
  beforeEach(() => {
    sandbox.quirks.dialect = dialect;
  });

  it('finds each capability, reading only, and stores the dialect for the origin', async () => {
    const memory = createInMemoryMemory();
    const start = sandbox.log.length;
    const discovery = await client(memory).discoverDialect({ employeeEmail: EMPLOYEE });
    expect(discovery.dialect).toEqual(CLIENT_DIALECT[dialect]);
    const comments = dialect === 'wrapped' ? 'comment' : 'order/comments';
    expect(byCapability(discovery.findings)).toEqual({
      readShape: { works: true, shape: dialect === 'wrapped' ? '{"filter": {...}}' : 'top-level filter keys' },
      sort: { works: true, shape: dialect === 'wrapped' ? '"orderby":{"id":"desc"}' : '"orderby":"DESC","orderfields":["id"]' },
      commentsRead: { works: true, shape: `${comments}/get` },
      commentsBatch: { works: true, shape: 'orderid: [...]' },
      commentsWrite: { works: true, shape: `${comments}/set`, inferred: true },
      employee: { works: true, shape: dialect === 'wrapped' ? 'employee' : 'employer + level' },
      assignee: { works: null },
      udateRead: { works: true, shape: 'udate' },
      udateSort: { works: true, shape: dialect === 'wrapped' ? '"orderby":{"udate":"desc"}' : '"orderby":"DESC","orderfields":["udate"]' },
      changes: { works: true, shape: `${comments}/get orderid: [...]` },
    });
    expect(callsSince(start).every((call) => call.endsWith('/get'))).toBe(true);
    expect(JSON.parse((await memory.get(dialectKey()))!)).toMatchObject({ dialect: CLIENT_DIALECT[dialect], at: expect.any(Number) });
  });

  it('with a test write allowed: one test process (the same on every test), its assignee read back, the comment write that worked', async () => {
    const testWrite = { workflowId: '12', statusId: '56' };
    const commentsBefore = sandbox.state.comments.length;
    for (let run = 0; run < 2; run++) {
      const start = sandbox.log.length;
      const discovery = await client().discoverDialect({ employeeEmail: EMPLOYEE, testWrite });
      const found = byCapability(discovery.findings);
      const write = dialect === 'wrapped' ? 'comment/set' : 'order/comments/set';
      expect(found.commentsWrite).toEqual({ works: true, shape: write });
      expect(found.assignee).toEqual({ works: true, shape: 'managerid' });
      expect(discovery.dialect).toEqual(CLIENT_DIALECT[dialect]);
      // comment/set is tried first; the top-level box knows only order/comments/set.
      expect(callsSince(start).filter((call) => call.endsWith('/set'))).toEqual(dialect === 'wrapped' ? ['order/set', 'comment/set'] : ['order/set', 'comment/set', 'order/comments/set']);
    }
    const processes = sandbox.state.orders.filter((order) => order.externalid === TEST_EXTERNAL_ID);
    expect(processes).toHaveLength(1);
    expect(processes[0]!.managerid).toBe(sandbox.state.contacts.find((c) => c.emails.includes(EMPLOYEE))!.id);
    // Two private comments in it, nothing anywhere else.
    const comments = sandbox.state.comments.slice(commentsBefore);
    expect(comments.map((c) => [c.orderid, String(c.clientvisible)])).toEqual([[processes[0]!.id, '0'], [processes[0]!.id, '0']]);
  });

  it('with a test write on a box that drops the assignee: says so, and the comment write still counts', async () => {
    sandbox.quirks.dropsManager = true;
    // A new test process: one assigned by an earlier test would hide the dropped write.
    const earlier = sandbox.state.orders.findIndex((order) => order.externalid === TEST_EXTERNAL_ID);
    if (earlier >= 0) sandbox.state.orders.splice(earlier, 1);
    const found = byCapability((await client().discoverDialect({ employeeEmail: EMPLOYEE, testWrite: { workflowId: '12', statusId: '56' } })).findings);
    expect(found.assignee).toEqual({ works: false });
    expect(found.commentsWrite).toMatchObject({ works: true });
  });

  it('with a test write into a stage the box refuses: both writes fail with the box\'s words, nothing else is written', async () => {
    const start = sandbox.log.length;
    const found = byCapability((await client().discoverDialect({ employeeEmail: EMPLOYEE, testWrite: { workflowId: '12', statusId: '8' } })).findings);
    expect(found.commentsWrite).toEqual({ works: false, detail: 'Status 8 does not belong to workflow 12' });
    expect(found.assignee).toEqual({ works: false, detail: 'Status 8 does not belong to workflow 12' });
    expect(callsSince(start).filter((call) => call.endsWith('/set'))).toEqual(['order/set']);
  });

  it('discovers on the first use of a box of unknown dialect, then uses the stored one', async () => {
    const memory = createInMemoryMemory();
    const first = sandbox.log.length;
    expect((await client(memory).listComments('101')).map((c) => c.id).slice(0, 3)).toEqual(['1001', '1002', '1004']);
    expect(await memory.get(dialectKey())).toBeDefined();
    const second = sandbox.log.length;
    const written = await client(memory).addComment('101', `in the ${dialect} dialect`, true);
    // The stored dialect: no discovery, straight to the comment write of that dialect.
    expect(callsSince(second)).toEqual(['token/get', dialect === 'wrapped' ? 'comment/set' : 'order/comments/set']);
    expect(sandbox.state.comments.find((c) => c.id === written)?.content).toBe(`in the ${dialect} dialect`);
    expect(callsSince(first).filter((call) => call.endsWith('/set'))).toHaveLength(1);
  });
});

describe('a stored dialect', () => {
  it('that fails a read is re-discovered once (the flag told without an email), stored, and the read repeated in it', async () => {
    sandbox.quirks.dialect = 'top-level';
    const memory = createInMemoryMemory();
    const stale = { dialect: DOCUMENTED_DIALECT, findings: [], at: 0 };
    await memory.set(dialectKey(), JSON.stringify(stale));
    expect((await client(memory).listComments('101')).map((c) => c.id).slice(0, 3)).toEqual(['1001', '1002', '1004']);
    expect(JSON.parse((await memory.get(dialectKey()))!).dialect).toEqual(CLIENT_DIALECT['top-level']);
  });

  it('that this version does not know (or not JSON) is discovered anew on first use', async () => {
    sandbox.quirks.dialect = 'top-level';
    for (const stored of ['{"dialect": {"readShape": "query-string"}, "findings": [], "at": 0}', 'not json']) {
      const memory = createInMemoryMemory();
      await memory.set(dialectKey(), stored);
      expect((await client(memory).listComments('101')).length).toBeGreaterThan(0);
      expect(JSON.parse((await memory.get(dialectKey()))!).dialect).toEqual(CLIENT_DIALECT['top-level']);
    }
  });

  it('stored just now is not re-discovered: the read fails as it is', async () => {
    sandbox.quirks.dialect = 'top-level';
    const memory = createInMemoryMemory();
    await memory.set(dialectKey(), JSON.stringify({ dialect: DOCUMENTED_DIALECT, findings: [], at: Date.now() }));
    const start = sandbox.log.length;
    await expect(client(memory).listComments('101')).rejects.toMatchObject({ kind: 'config', endpoint: 'comment/get' });
    expect(callsSince(start)).toEqual(['token/get', 'comment/get']);
  });
});

describe('discovery on a box that misreads reads', () => {
  it('says what is not possible, and keeps the documented shape for it', async () => {
    sandbox.quirks.ignoreFilters = true;
    sandbox.quirks.ignoreOrderby = true;
    const discovery = await client().discoverDialect();
    const found = byCapability(discovery.findings);
    // It does not even hold to a limit: no read shape works, and there is nothing to sort by.
    expect(found.readShape).toEqual({ works: false });
    expect(found.sort).toEqual({ works: null });
    expect(found.commentsRead).toEqual({ works: false });
    expect(found.commentsBatch).toEqual({ works: false });
    expect(found.commentsWrite).toEqual({ works: false });
    expect(found.employee).toEqual({ works: false });
    expect(found.udateSort).toEqual({ works: null });
    expect(discovery.dialect).toEqual(DOCUMENTED_DIALECT);
  });

  it('calls the udate sort unknown when the orders changed in the order they were made, or all at once', async () => {
    for (const stamp of [(index: number) => `2026-01-0${index + 1} 10:00:00`, () => '2026-01-01 10:00:00']) {
      sandbox.state.orders.forEach((order, index) => (order.udate = stamp(index)));
      expect(byCapability((await client().discoverDialect()).findings).udateSort).toEqual({ works: null });
    }
  });

  it('calls the udate sort missing when the box lists by another order than the one asked', async () => {
    sandbox.quirks.ignoreOrderby = true;
    expect(byCapability((await client().discoverDialect()).findings).udateSort).toEqual({ works: false });
  });

  it('reads the comments of linked orders one by one on a box that takes one value of a list', async () => {
    sandbox.quirks.firstFilterValueOnly = true;
    const discovery = await client().discoverDialect();
    const found = byCapability(discovery.findings);
    expect(found.commentsBatch).toEqual({ works: false });
    expect(found.changes).toEqual({ works: false });
    expect(discovery.dialect.changes).toBe('per-link');
    expect(found.commentsRead).toEqual({ works: true, shape: 'comment/get' });
  });

  it('finds changed orders by their change dates where only comment reads take one order', async () => {
    sandbox.quirks.commentsOfOneOrder = true;
    // Each order changed after its newest comment, as in the engine (other tests move udate).
    for (const order of sandbox.state.orders) order.udate = '2030-01-01 00:00:00';
    const discovery = await client().discoverDialect();
    expect(byCapability(discovery.findings).commentsBatch).toEqual({ works: false });
    expect(byCapability(discovery.findings).changes).toEqual({ works: true, shape: 'order/get id: [...], udate' });
    expect(discovery.dialect.changes).toBe('udate');
  });

  it('finds changed orders among the box’s latest changes where it sorts by change date', async () => {
    sandbox.quirks.commentsOfOneOrder = true;
    // Changed after their comments, the newer orders first: a sort by id would not give this order.
    const orders = [...sandbox.state.orders].sort((a, b) => Number(a.id) - Number(b.id));
    orders.forEach((order, index) => {
      order.udate = new Date(Date.UTC(2030, 0, 1, 0, orders.length - index)).toISOString().replace('T', ' ').slice(0, 19);
    });
    const discovery = await client().discoverDialect();
    expect(byCapability(discovery.findings).udateSort).toEqual({ works: true, shape: '"orderby":{"udate":"desc"}' });
    expect(byCapability(discovery.findings).changes).toEqual({ works: true, shape: 'order/get "orderby":{"udate":"desc"}, udate' });
    expect(discovery.dialect.changes).toBe('udate-sorted');
  });

  it('does not trust change dates older than the comments they should follow', async () => {
    sandbox.quirks.commentsOfOneOrder = true;
    for (const order of sandbox.state.orders) order.udate = '2020-01-01 00:00:00';
    const discovery = await client().discoverDialect();
    expect(byCapability(discovery.findings).changes).toEqual({ works: false });
    expect(discovery.dialect.changes).toBe('per-link');
  });

  it('calls change detection unknown when the sample orders have no comments', async () => {
    const comments = sandbox.state.comments.splice(0);
    try {
      const found = byCapability((await client().discoverDialect()).findings);
      expect(found.commentsBatch).toEqual({ works: null });
      expect(found.changes).toEqual({ works: null });
    } finally {
      sandbox.state.comments.push(...comments);
    }
  });

  it('stops at a box that is down instead of calling every shape impossible', async () => {
    sandbox.faults.down();
    await expect(client().discoverDialect()).rejects.toMatchObject({ kind: 'transient' });
  });
});
