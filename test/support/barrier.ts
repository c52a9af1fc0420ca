// Proof that nothing more is on its way, without waiting a fixed time: shared by the browser
// tests in Chromium and Firefox.
import { expect } from 'vitest';
import type { Sandbox } from '../sandbox/index';
import { apiCall, commentSetOf, tokenFor, type Boxes } from './boxes';

const BARRIER_MARK = '· barrier';
let barriers = 0;

/**
 * A colleague writes a shared comment after the action under test, in each direction, and it is
 * awaited at the other end. A direction is one ordered lane, read in the order written, so once
 * the barrier has arrived everything written before it has been decided. `commentsIn` leaves
 * barriers out.
 */
export async function barrier(boxes: Boxes, link: { localId: string; remoteId: string }): Promise<void> {
  // The two directions are two lanes: their barriers travel side by side.
  await Promise.all((['A→B', 'B→A'] as const).map(async (direction) => {
    const [from, to, fromOrder, toOrder] = direction === 'A→B'
      ? [boxes.boxA, boxes.boxB, link.localId, link.remoteId]
      : [boxes.boxB, boxes.boxA, link.remoteId, link.localId];
    const content = `${++barriers} ${BARRIER_MARK}`;
    const token = await tokenFor(from.url, 'ivan', 'ivan-secret');
    await apiCall(from.url, commentSetOf(from), [{ orderid: Number(fromOrder), content, clientvisible: 1 }], token);
    await expect.poll(() => to.state.comments.some((c) => c.orderid === toOrder && c.content.endsWith(`: ${content}`)), { timeout: 30_000 }).toBe(true);
  }));
}

/** The comments (not system entries, not barriers) an order holds in box A or box B, oldest first. */
export function commentsIn(boxes: Boxes, box: 'A' | 'B', orderId: string): Sandbox['state']['comments'] {
  return (box === 'A' ? boxes.boxA : boxes.boxB).state.comments.filter((c) => c.orderid === orderId && c.type === 'comment' && !c.content.endsWith(BARRIER_MARK));
}
