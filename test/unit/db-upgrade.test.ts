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
  expect([...db.objectStoreNames].sort()).toEqual(['audit', 'choices', 'comments', 'links', 'meta', 'outbox']);
  expect(await db.getAllFromIndex('links', 'byState', 'linked')).toHaveLength(1);
  expect(await db.getAll('choices')).toEqual([{ kind: 'composer', key: choiceKey.composer('101'), localOrderId: '101', share: false, at: 5 }]);
  db.close();
});
