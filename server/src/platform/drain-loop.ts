/**
 * The loop of a queue worker (the inbox, notification deliveries): run `drainOnce` at start, again at once when kicked
 * while it runs (new work was committed), else after `nextDelayMs()` (the poll, or sooner when the caller knows when
 * work falls due). One drain at a time: concurrent drain() calls share it. A failed drain is reported and the loop
 * goes on.
 */
export class DrainLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private again = false;
  /** Not scheduling (never started, or stopped). drain() still works: tests and the CLI call it. */
  private stopped = true;
  private stopRequested = false;

  constructor(
    private readonly drainOnce: () => Promise<number>,
    private readonly nextDelayMs: () => number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** stop() was called: a drain in progress should wind down after its current item. */
  get stopping(): boolean {
    return this.stopRequested;
  }

  start(): void {
    this.stopped = false;
    this.stopRequested = false;
    this.schedule(0);
  }

  /** Stop scheduling and wait for the drain in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopRequested = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => 0);
  }

  /** New work was committed: drain soon instead of waiting for the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** Handle everything due now. Returns how many items were handled. */
  drain(): Promise<number> {
    if (!this.running) this.running = this.drainOnce().finally(() => (this.running = null));
    return this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    this.timer = null;
    try {
      await this.drain();
    } catch (err) {
      this.onError(err);
    }
    const again = this.again;
    this.again = false;
    this.schedule(again ? 0 : this.nextDelayMs());
  }
}
