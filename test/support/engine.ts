// The real sync engine in Node (for engine tests and the bench): fake-indexeddb for the database, real OneBox clients talking
// HTTP to two sandbox boxes, and a clock the caller may drive (virtual time).
import 'fake-indexeddb/auto';
import { createInMemoryMemory, createOneBoxClient, type OneBoxClient } from '../../src/onebox';
import type { BoxDialect } from '../../src/onebox/types';
import type { SyncContext } from '../../src/sync/context';
import { linkId, openSyncDb, type LinkRecord } from '../../src/sync/db';
import { apiCall, demoSettings, tokenFor } from '../support/boxes';
import { startSandbox, type Sandbox } from '../sandbox/index';

export interface EngineBench {
  boxA: Sandbox;
  boxB: Sandbox;
  ctx: SyncContext;
  /** Virtual epoch ms when `virtual` was asked for; move it forward to let time pass. */
  clock: { at: number };
  close(): Promise<void>;
}

export interface EngineOptions {
  /** Unique per run: each bench gets its own database. */
  name: string;
  holdSeconds: number;
  virtual: boolean;
  /** Client limits per box; the extension's defaults (4 req/s, 2 in flight) when absent. */
  limits?: { perSecond: number; inFlight: number };
  /** The boxes' dialect as given (no discovery): the bench compares change detection with per-link polling. */
  dialect?: BoxDialect;
}

export async function startEngine(options: EngineOptions): Promise<EngineBench> {
  // Fresh boxes per bench: the throttle is per origin, so limits never leak between benches.
  const clock = { at: Date.now() };
  // On a virtual clock the boxes stamp their dates with it too (change dates must move with it).
  const boxClock = options.virtual ? { clock: () => clock.at } : {};
  const [boxA, boxB] = await Promise.all([startSandbox({ name: 'Supplier A', seed: 'empty', ...boxClock }), startSandbox({ name: 'Buyer B', seed: 'empty', ...boxClock })]);
  const settings = demoSettings({ boxA, boxB });
  settings.preferences.holdSeconds = options.holdSeconds;
  const memory = createInMemoryMemory();
  // As in the extension: each box's dialect is discovered on its first use and kept.
  const dialectMemory = createInMemoryMemory();
  const clients = new Map<string, OneBoxClient>();
  const db = await openSyncDb(`bench-${options.name}`);
  const ctx: SyncContext = {
    db,
    settings,
    clientFor: (box) => {
      let client = clients.get(box.url);
      if (!client) {
        client = createOneBoxClient(box, { memory, dialectMemory, ...options.limits, ...(options.dialect ? { dialect: options.dialect } : {}) });
        clients.set(box.url, client);
      }
      return client;
    },
    now: options.virtual ? () => clock.at : () => Date.now(),
  };
  return {
    boxA,
    boxB,
    ctx,
    clock,
    close: async () => {
      db.close();
      await Promise.all([boxA.close(), boxB.close()]);
    },
  };
}

/** Who writes in each box, and the stage their new processes start in. */
export const PEOPLE = {
  A: { login: 'olena', password: 'olena-secret', stage: { workflowid: 3, statusid: 8 } },
  B: { login: 'ivan', password: 'ivan-secret', stage: { workflowid: 12, statusid: 56 } },
} as const;

/** A fresh process in a box, created over the API as a person of that box would. */
export async function newOrder(box: Sandbox, side: keyof typeof PEOPLE): Promise<string> {
  const person = PEOPLE[side];
  const ids = await apiCall(box.url, 'order/set', [{ name: 'Bench order', ...person.stage }], await tokenFor(box.url, person.login, person.password));
  return String((ids as unknown[])[0]);
}

/** Links written straight into the database, as a finished send leaves them; due at once. */
export async function writeLinks(bench: EngineBench, pairs: [local: string, remote: string][]): Promise<void> {
  const tx = bench.ctx.db.transaction('links', 'readwrite');
  const now = bench.ctx.now();
  for (const [local, remote] of pairs) {
    const link: LinkRecord = {
      id: linkId('buyer-b', local),
      partnerId: 'buyer-b',
      localOrderId: local,
      externalId: `bench:${local}`,
      state: 'linked',
      remoteOrderId: remote,
      createdAt: now,
      linkedAt: now,
      origin: 'click',
    };
    await tx.store.put(link);
  }
  await tx.done;
}
