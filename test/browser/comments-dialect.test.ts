// A partner box of the other read dialect (top-level filter keys, `order/comments/*`,
// `employer`): the extension discovers it on first use and sends and syncs comments in it.
// The built extension in Chromium against two sandbox boxes.
import { describe, expect, it } from 'vitest';
import { writeComment } from '../support/order-page';
import { barrier } from '../support/barrier';
import { writeThroughApi } from '../support/boxes';
import { linkedOrder, useSyncWorld } from './setup';

const world = useSyncWorld(3);

describe('box B on the top-level dialect', () => {
  it('a sent order links, and comments arrive both ways, each once, in B’s own calls', async () => {
    // Before anything reaches B, so that its dialect is unknown at the send.
    world.boxB.quirks.dialect = 'top-level';
    const { page, localId, remoteId } = await linkedOrder(world, 'Top-level partner');
    expect(world.boxB.state.orders.find((order) => order.id === remoteId)?.managerid).toBe('2');
    await writeComment(page, 'Shipping on Monday', true);
    await writeThroughApi(world, 'B', remoteId, 'Thank you');
    await barrier(world, { localId, remoteId });
    expect(world.comments('B', remoteId).map((c) => c.content)).toEqual(['Thank you', `Olena Kovalenko (${new URL(world.boxA.url).host}): Shipping on Monday`]);
    expect(world.comments('A', localId).map((c) => c.content)).toEqual(['Shipping on Monday', 'Ivan Petrenko (Buyer B): Thank you']);
    const routes = world.boxB.log.map((call) => `${call.entity}/${call.action}`);
    expect(routes).toContain('order/comments/get');
    // No write ever went to a call this box does not have.
    expect(routes.filter((route) => route === 'comment/set')).toEqual([]);
    await page.close();
  });
});
