// Comment latency in the real extension: with the linked order's page open and visible (it
// asks the worker every 3 s, which polls the order's link), a comment is written over the API
// in one box, and the time until its copy is in the other box's data is taken. Samples run one
// after another; before each, a pause spread evenly over the page's 3 s cycle, so the samples
// do not all start at the same point of it.
import { type World } from '../../test/browser/setup';
import { apiCall, tokenFor } from '../../test/support/boxes';
import { PEOPLE } from '../../test/support/engine';
import { waitFor } from './extension';

const PAGE_CYCLE_MS = 3_000;
const SAMPLE_TIMEOUT_MS = 20_000;

export interface Latencies {
  outbound: number[];
  inbound: number[];
  /** Samples whose copy did not arrive within the timeout. */
  lost: number;
}

export async function commentLatency(world: World, order: { localId: string; remoteId: string }, samples: number): Promise<Latencies> {
  const sides = {
    outbound: { from: world.boxA, to: world.boxB, orderId: order.localId, copyIn: order.remoteId, person: PEOPLE.A },
    inbound: { from: world.boxB, to: world.boxA, orderId: order.remoteId, copyIn: order.localId, person: PEOPLE.B },
  };
  const result: Latencies = { outbound: [], inbound: [], lost: 0 };
  for (const direction of ['outbound', 'inbound'] as const) {
    const { from, to, orderId, copyIn, person } = sides[direction];
    const token = await tokenFor(from.url, person.login, person.password);
    for (let i = 0; i < samples; i++) {
      await new Promise((resolve) => setTimeout(resolve, (i * PAGE_CYCLE_MS) / samples));
      const text = `${direction} sample ${i + 1}`;
      const started = performance.now();
      await apiCall(from.url, 'comment/set', [{ orderid: Number(orderId), content: text, clientvisible: 1 }], token);
      const arrived = await waitFor(() => to.state.comments.some((c) => c.orderid === copyIn && c.content.endsWith(`: ${text}`)), SAMPLE_TIMEOUT_MS);
      if (arrived) result[direction].push(performance.now() - started);
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
