/**
 * Where the scheduler (and whatever it runs) reads the time. Production uses the system clock; tests
 * use a ManualClock they move forward and then call `scheduler.tick()`, so no test sleeps.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to. Accepts epoch ms or an ISO string with its offset. */
export class ManualClock implements Clock {
  private t: number;

  constructor(start: number | string = Date.now()) {
    this.t = toEpochMs(start);
  }

  now(): number {
    return this.t;
  }

  set(at: number | string): void {
    this.t = toEpochMs(at);
  }

  advance(ms: number): void {
    this.t += ms;
  }
}

function toEpochMs(at: number | string): number {
  const t = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(t)) throw new Error(`ManualClock: not a time: ${String(at)}`);
  return t;
}
