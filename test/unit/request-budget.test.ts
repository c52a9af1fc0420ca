// The scheduler's request count on the virtual clock, pinned: change detection reads each box
// once a minute for all its linked orders, and only what changed is read in full, so the count
// grows with the comments, not with the links. `npm run bench` measures the full-size figures.
import { describe, expect, it } from 'vitest';
import { DETECT_EVERY_MS } from '../../src/sync/changes';
import { STATE_EVERY_MS } from '../../src/sync/order-state';
import { requestRate } from '../support/request-rate';

const IDLE = 300;
const ACTIVE = 4;
/**
 * The partner's stages (order-state.ts): one read of the box's linked orders on each state turn,
 * and one more for the idle links' orders, which no box has (they are looked for one by one,
 * and the first not found ends that for the turn).
 */
const STATE_READS_PER_TURN = 2;
const stateReadsPerMinute = STATE_READS_PER_TURN / (STATE_EVERY_MS / 60_000);

describe('requests the scheduler makes, virtual clock', () => {
  it(`${IDLE} idle links and ${ACTIVE} active ones: two detection reads a minute, one read and one write per comment`, async () => {
    const rate = await requestRate({ idle: IDLE, active: ACTIVE }, 'comments-batch', 20);
    // Each minute: one detection read per box, and for each active link its new comment read
    // (one side) and copied (one write).
    expect(rate.steadyPerMinute).toBeLessThanOrEqual(2 + 2 * ACTIVE + stateReadsPerMinute);
    // The first state turn also reads the partner's stage names, once.
    expect(rate.firstMinute).toBeLessThanOrEqual(2 + 2 * ACTIVE + 2 + STATE_READS_PER_TURN + 1);
    expect(rate.longestUncheckedMinutes).toBeLessThanOrEqual(DETECT_EVERY_MS / 60_000);
    expect(rate.delivered).toBe(rate.written);
  }, 60_000);

  it(`change dates: two detection reads a minute, and each comment read, copied, and its copy's moved date read once more`, async () => {
    const rate = await requestRate({ idle: IDLE, active: ACTIVE }, 'udate', 20);
    expect(rate.steadyPerMinute).toBeLessThanOrEqual(2 + 3 * ACTIVE + stateReadsPerMinute);
    expect(rate.longestUncheckedMinutes).toBeLessThanOrEqual(DETECT_EVERY_MS / 60_000);
    expect(rate.delivered).toBe(rate.written);
  }, 60_000);

  it('sorted change dates: one detection read a minute per box however many links, and each comment read, copied, and its copy\'s moved date read once more', async () => {
    // Enough idle links for three reads by id per box: the box's latest changes are one.
    const rate = await requestRate({ idle: 1_200, active: ACTIVE }, 'udate-sorted', 10);
    expect(rate.steadyPerMinute).toBeLessThanOrEqual(2 + 3 * ACTIVE + stateReadsPerMinute * 3);
    expect(rate.longestUncheckedMinutes).toBeLessThanOrEqual(DETECT_EVERY_MS / 60_000);
    expect(rate.delivered).toBe(rate.written);
  }, 60_000);

  it('per-link polling, the fallback, stays within its minute allowance and reads every idle link within its slowest pace', async () => {
    const rate = await requestRate({ idle: IDLE / 3, active: ACTIVE }, 'per-link', 80);
    expect(rate.firstMinute).toBeLessThanOrEqual(2 * 60 + 2 * ACTIVE + STATE_READS_PER_TURN + 1);
    expect(rate.longestUncheckedMinutes).toBeLessThanOrEqual(30 * 1.15 + 1);
    expect(rate.delivered).toBe(rate.written);
  }, 120_000);
});
