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
    const discovery = await client(memory).discoverDialect(EMPLOYEE);
    expect(discovery.dialect).toEqual(CLIENT_DIALECT[dialect]);
    const comments = dialect === 'wrapped' ? 'comment' : 'order/comments';
    expect(byCapability(discovery.findings)).toEqual({
      readShape: { works: true, shape: dialect === 'wrapped' ? '{"filter": {...}}' : 'top-level filter keys' },
      sort: { works: true, shape: dialect === 'wrapped' ? '"orderby":{"id":"desc"}' : '"orderby":"DESC","orderfields":["id"]' },
      commentsRead: { works: true, shape: `${comments}/get` },
      commentsWrite: { works: true, shape: `${comments}/set`, inferred: true },
      employee: { works: true, shape: dialect === 'wrapped' ? 'employee' : 'employer + level' },
      udateRead: { works: true, shape: 'udate' },
      udateSort: { works: true, shape: dialect === 'wrapped' ? '"orderby":{"udate":"desc"}' : '"orderby":"DESC","orderfields":["udate"]' },
    });
    expect(callsSince(start).every((call) => call.endsWith('/get'))).toBe(true);
    expect(JSON.parse((await memory.get(dialectKey()))!)).toMatchObject({ dialect: CLIENT_DIALECT[dialect], at: expect.any(Number) });
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
    expect(found.commentsWrite).toEqual({ works: false });
    expect(found.employee).toEqual({ works: false });
    expect(found.udateSort).toEqual({ works: null });
    expect(discovery.dialect).toEqual(DOCUMENTED_DIALECT);
  });

  it('stops at a box that is down instead of calling every shape impossible', async () => {
    sandbox.faults.down();
    await expect(client().discoverDialect()).rejects.toMatchObject({ kind: 'transient' });
  });
});
