import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/** How long a utilization sample covers at least. */
const WINDOW_MS = 100;

/**
 * How busy this process's event loop has been lately (https://nodejs.org/api/perf_hooks.html#performanceeventlooputilizationutilization1-utilization2):
 * the share of the last window (≥ 100 ms, sampled when asked) the loop spent running code rather than waiting.
 * Background work asks it to decide whether to step aside for requests.
 */
export class EventLoopLoad {
  private last: EventLoopUtilization = performance.eventLoopUtilization();
  private lastAt = performance.now();
  private value = 0;

  utilization(): number {
    const now = performance.now();
    if (now - this.lastAt >= WINDOW_MS) {
      const current = performance.eventLoopUtilization();
      this.value = performance.eventLoopUtilization(current, this.last).utilization;
      this.last = current;
      this.lastAt = now;
    }
    return this.value;
  }
}
