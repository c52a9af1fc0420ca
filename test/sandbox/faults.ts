// Fault switches: the ways a real box (or the network in front of it) lets a client down.
// Each switch is consumed by the call it shapes, so tests can arm one and watch the retry.
import type { Faults, GarbageKind } from './types.ts';

export const GARBAGE_KINDS: readonly GarbageKind[] = ['html', 'empty', 'wrong-types', 'not-json'];

export interface FaultSnapshot {
  failNext: number;
  failStatus: number;
  commitThenDropNextWrite: boolean;
  garbageNext: GarbageKind | null;
  down: boolean;
}

export class FaultSwitch implements Faults {
  private failCount = 0;
  private failStatus = 500;
  private dropArmed = false;
  private garbage: GarbageKind | null = null;
  private isDownFlag = false;
  private upTimer: NodeJS.Timeout | undefined;

  /** Sets (does not add to) the number of calls that fail. */
  failNext(n: number, status = 500): void {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`failNext: bad count ${n}`);
    if (!Number.isInteger(status) || status < 100 || status > 599) throw new RangeError(`failNext: bad status ${status}`);
    this.failCount = n;
    this.failStatus = status;
  }

  commitThenDropNextWrite(): void {
    this.dropArmed = true;
  }

  garbageNext(kind: GarbageKind): void {
    if (!GARBAGE_KINDS.includes(kind)) throw new RangeError(`garbageNext: unknown kind ${String(kind)}`);
    this.garbage = kind;
  }

  down(): void {
    this.clearTimer();
    this.isDownFlag = true;
  }

  up(): void {
    this.clearTimer();
    this.isDownFlag = false;
  }

  /** Down now, up again by itself: the only way to go down over HTTP and come back. */
  downFor(ms: number): void {
    this.down();
    this.upTimer = setTimeout(() => this.up(), ms);
    this.upTimer.unref();
  }

  reset(): void {
    this.failCount = 0;
    this.failStatus = 500;
    this.dropArmed = false;
    this.garbage = null;
    this.up();
  }

  get isDown(): boolean {
    return this.isDownFlag;
  }

  /** The HTTP status this call must fail with, if a failure is armed. */
  takeFailure(): number | undefined {
    if (this.failCount <= 0) return undefined;
    this.failCount -= 1;
    return this.failStatus;
  }

  takeGarbage(): GarbageKind | undefined {
    const kind = this.garbage ?? undefined;
    this.garbage = null;
    return kind;
  }

  takeDrop(): boolean {
    const armed = this.dropArmed;
    this.dropArmed = false;
    return armed;
  }

  snapshot(): FaultSnapshot {
    return {
      failNext: this.failCount,
      failStatus: this.failStatus,
      commitThenDropNextWrite: this.dropArmed,
      garbageNext: this.garbage,
      down: this.isDownFlag,
    };
  }

  dispose(): void {
    this.clearTimer();
  }

  private clearTimer(): void {
    if (this.upTimer !== undefined) clearTimeout(this.upTimer);
    this.upTimer = undefined;
  }
}
