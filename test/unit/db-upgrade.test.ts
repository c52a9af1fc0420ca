// The worker's database keeps what it holds across versions: a browser that ran an older
// version opens its database with the new code, and nothing the sync relies on is lost.
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { expect, it } from 'vitest';
import { choiceKey, openSyncDb } from '../../src/sync/db';

it('version 1 (choices matched by text) opens as today: a private intent keeps its order private, links stay', async () => {
  const name = 'upgrade-from-1';
  const v1 = await openDB(name, 1, {
    upgrade(db) {
      const links = db.createObjectStore('links', { keyPath: 'id' });
      links.createIndex('byOrder', 'localOrderId');
      links.createIndex('byState', 'state');
      const outbox = db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
      outbox.createIndex('byLink', 'linkId');
      outbox.createIndex('byLane', 'lane');
      db.createObjectStore('comments', { keyPath: 'key' }).createIndex('byLink', 'linkId');
      db.createObjectStore('audit', { keyPath: 'seq', autoIncrement: true });
      db.createObjectStore('intents', { keyPath: 'key' });
    },
  });
  await v1.put('links', { id: 'buyer-b|101', partnerId: 'buyer-b', localOrderId: '101', externalId: 'x', state: 'linked', createdAt: 1, origin: 'click' });
  await v1.put('intents', { key: 'a', localOrderId: '101', share: false, at: 5 });
  await v1.put('intents', { key: 'b', localOrderId: '102', share: true, at: 6 });
  v1.close();

  const db = await openSyncDb(name);
  expect([...db.objectStoreNames].sort()).toEqual(['choices', 'comments', 'history', 'links', 'meta', 'outbox']);
  expect(await db.getAllFromIndex('links', 'byState', 'linked')).toHaveLength(1);
  expect(await db.getAll('choices')).toEqual([{ kind: 'composer', key: choiceKey.composer('101'), localOrderId: '101', share: false, at: 5 }]);
  db.close();
});

it('version 3 (an audit log nobody saw) opens with its sends and failures as history entries, and the log gone', async () => {
  const name = 'upgrade-from-3';
  const v3 = await openDB(name, 3, {
    upgrade(db) {
      for (const store of ['outbox', 'audit']) db.createObjectStore(store, { keyPath: 'seq', autoIncrement: true });
      for (const store of ['links', 'comments', 'choices', 'meta']) db.createObjectStore(store, { keyPath: store === 'links' ? 'id' : 'key' });
    },
  });
  const logged = [
    { at: 10, linkId: 'buyer-b|101', event: 'send-requested', detail: 'click' },
    { at: 11, linkId: 'buyer-b|101', event: 'job-retry-scheduled', detail: 'send-order: error_box_down' },
    { at: 12, linkId: 'buyer-b|101', event: 'sent', detail: '7001' },
    { at: 13, linkId: 'buyer-b|102', event: 'sent', detail: '7002, unassigned' },
    { at: 14, linkId: 'buyer-b|101', event: 'job-parked', detail: 'comment-out: error_auth' },
    { at: 15, event: 'worker-sync-failed', detail: 'error_internal' },
    { at: 16, linkId: 'buyer-b|101', event: 'unlinked' },
  ];
  for (const entry of logged) await v3.add('audit', entry);
  v3.close();

  const db = await openSyncDb(name);
  expect([...db.objectStoreNames]).not.toContain('audit');
  const history = (await db.getAll('history')).map(({ seq: _seq, ...entry }) => entry);
  expect(history).toEqual([
    { linkId: 'buyer-b|101', at: 11, event: 'failed', subject: 'send-order', error: { kind: 'transient', messageKey: 'error_box_down' }, retryAt: 11 },
    { linkId: 'buyer-b|101', at: 12, event: 'sent', remoteOrderId: '7001' },
    { linkId: 'buyer-b|102', at: 13, event: 'sent', remoteOrderId: '7002', unassigned: true },
    { linkId: 'buyer-b|101', at: 14, event: 'failed', subject: 'comment-out', error: { kind: 'config', messageKey: 'error_auth' } },
  ]);
  expect(await db.getAllFromIndex('history', 'byLink', 'buyer-b|102')).toHaveLength(1);
  db.close();
});
