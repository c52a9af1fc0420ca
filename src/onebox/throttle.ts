// A per-box throttle: at most `inFlight` requests open at once, and request starts spaced by
// at least 1000/perSecond ms, so a partner's box never sees a burst from us. It is shared by
// every client of the same origin in this JS realm; it holds no state worth persisting (a
// worker restart simply starts with an empty queue).

export interface ThrottleLimits {
  perSecond: number;
  inFlight: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class BoxThrottle {
  private active = 0;
  private nextStartAt = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private limits: ThrottleLimits) {}

  /** Decision: the latest client created for an origin sets its limits (all use defaults in the extension). */
  setLimits(limits: ThrottleLimits): void {
    this.limits = limits;
    this.wakeUp();
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquireSlot();
    try {
      // Reserve the start time synchronously so concurrent callers keep their order.
      const now = Date.now();
      const startAt = Math.max(now, this.nextStartAt);
      this.nextStartAt = startAt + 1000 / this.limits.perSecond;
      if (startAt > now) await sleep(startAt - now);
      return await task();
    } finally {
      this.active -= 1;
      this.wakeUp();
    }
  }

  private acquireSlot(): Promise<void> {
    if (this.active < this.limits.inFlight && this.waiting.length === 0) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private wakeUp(): void {
    while (this.active < this.limits.inFlight) {
      const next = this.waiting.shift();
      if (!next) return;
      this.active += 1;
      next();
    }
  }
}

const throttles = new Map<string, BoxThrottle>();

export function throttleFor(origin: string, limits: ThrottleLimits): BoxThrottle {
  const safe: ThrottleLimits = {
    perSecond: limits.perSecond > 0 ? limits.perSecond : 4,
    inFlight: Math.max(1, Math.floor(limits.inFlight)),
  };
  let throttle = throttles.get(origin);
  if (throttle) throttle.setLimits(safe);
  else {
    throttle = new BoxThrottle(safe);
    throttles.set(origin, throttle);
  }
  return throttle;
}
