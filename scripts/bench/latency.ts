// Comment latency in the real extension, with the linked order's page open and visible.
// Outbound: the manager posts a comment in the page's own composer (the page reports it, and
// the worker reads the order at once); the time until its copy is in box B, less the hold
// window it must wait out. Inbound: the partner's employee writes over the API in box B; the
// time until its copy is in box A (the open page has the partner side read every second).
// Samples run one after another; before each, a pause spread evenly over the page's 3 s
// refresh cycle, so the samples do not all start at the same point of it.
import type { Page } from 'playwright-core';
import { type World } from '../../test/browser/setup';
import { apiCall, tokenFor } from '../../test/support/boxes';
import { PEOPLE } from '../../test/support/engine';
import { writeComment } from '../../test/support/order-page';
import { waitFor } from './extension';

const PAGE_CYCLE_MS = 3_000;
const SAMPLE_TIMEOUT_MS = 20_000;

export interface Latencies {
  outbound: number[];
  inbound: number[];
  /** Samples whose copy did not arrive within the timeout. */
  lost: number;
}

export async function commentLatency(world: World, page: Page, order: { localId: string; remoteId: string }, samples: number, holdMs: number): Promise<Latencies> {
  const tokenB = await tokenFor(world.boxB.url, PEOPLE.B.login, PEOPLE.B.password);
  const write = {
    outbound: (text: string) => writeComment(page, text, true),
    inbound: (text: string) => apiCall(world.boxB.url, 'comment/set', [{ orderid: Number(order.remoteId), content: text, clientvisible: 1 }], tokenB),
  };
  const sides = {
    outbound: { to: world.boxB, copyIn: order.remoteId, waited: holdMs },
    inbound: { to: world.boxA, copyIn: order.localId, waited: 0 },
  };
  const result: Latencies = { outbound: [], inbound: [], lost: 0 };
  for (const direction of ['outbound', 'inbound'] as const) {
    const { to, copyIn, waited } = sides[direction];
    for (let i = 0; i < samples; i++) {
      await new Promise((resolve) => setTimeout(resolve, (i * PAGE_CYCLE_MS) / samples));
      const text = `${direction} sample ${i + 1}`;
      const started = performance.now();
      await write[direction](text);
      const arrived = await waitFor(() => to.state.comments.some((c) => c.orderid === copyIn && c.content.endsWith(`: ${text}`)), SAMPLE_TIMEOUT_MS);
      if (arrived) result[direction].push(performance.now() - started - waited);
      else result.lost += 1;
    }
  }
  return result;
}

/** Nearest-rank percentile (p95 of 20 samples is the 19th smallest). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
