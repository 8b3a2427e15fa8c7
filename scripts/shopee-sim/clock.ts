// The simulator's clock: real time plus an offset that tests move with advance(), so token, code and lost-push
// lifetimes can be tested without waiting. Shopee timestamps are Unix seconds.
export class SimClock {
  private offsetMs = 0;
  private readonly listeners = new Set<() => void>();

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  /** Unix seconds on the simulator's clock. */
  now(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
    for (const l of this.listeners) l();
  }

  /** Called after every advance() (due tracking numbers are assigned then). */
  onAdvance(listener: () => void): void {
    this.listeners.add(listener);
  }
}
