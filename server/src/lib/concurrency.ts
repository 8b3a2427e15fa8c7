/**
 * Run `worker` over `items` with at most `limit` in flight. On the first failure no new item is
 * started, the ones in flight are allowed to finish (so saved progress is consistent), and then the
 * first error is thrown.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, worker: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let firstError: { error: unknown } | null = null;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (!firstError && next < items.length) {
      const index = next++;
      try {
        results[index] = await worker(items[index]!, index);
      } catch (error) {
        firstError ??= { error };
      }
    }
  });
  await Promise.all(lanes);
  if (firstError) throw (firstError as { error: unknown }).error;
  return results;
}

/**
 * Sliding one-minute window limiter: never more than `perMinute` starts in any 60 s window.
 * Used to stay under WeCom's per-API frequency limit (10,000/min per corp per API:
 * https://developer.work.weixin.qq.com/document/path/90312).
 */
export class MinuteRateLimiter {
  private readonly starts: number[] = [];

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  async take(): Promise<void> {
    for (;;) {
      const t = this.now();
      while (this.starts.length && this.starts[0]! <= t - 60_000) this.starts.shift();
      if (this.starts.length < this.perMinute) {
        this.starts.push(t);
        return;
      }
      await new Promise((r) => setTimeout(r, this.starts[0]! + 60_000 - t + 1));
    }
  }
}
