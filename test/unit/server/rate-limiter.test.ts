/** MinuteRateLimiter (WeCom per-API frequency limit) and mapLimit (bounded fan-out). */
import { mapLimit, MinuteRateLimiter } from '../../../server/src/lib/concurrency';
import { waitFor } from '../../support/wait';

const MINUTE = 60_000;

/** Largest number of starts in any half-open window [t, t + 60 s) (the simulator's sliding window). */
function maxInAnyMinute(starts: number[]): number {
  const s = [...starts].sort((a, b) => a - b);
  let max = 0;
  let lo = 0;
  for (let hi = 0; hi < s.length; hi++) {
    while (s[lo]! <= s[hi]! - MINUTE) lo++;
    max = Math.max(max, hi - lo + 1);
  }
  return max;
}

/** Deterministic PRNG so a failure reproduces. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('maxInAnyMinute (test helper)', () => {
  test('counts a sliding window', () => {
    expect(maxInAnyMinute([0, 1, 2])).toBe(3);
    expect(maxInAnyMinute([0, MINUTE])).toBe(1);
    expect(maxInAnyMinute([0, MINUTE - 1])).toBe(2);
    expect(maxInAnyMinute([0, 30_000, 61_000, 62_000])).toBe(3);
  });
});

describe('MinuteRateLimiter', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }));
  afterEach(() => jest.useRealTimers());

  /** take() `n` times at the given offsets (ms from now); returns the clock reading at each start. */
  async function run(limit: number, arrivals: number[], horizonMs: number): Promise<number[]> {
    const clock = () => jest.now();
    const limiter = new MinuteRateLimiter(limit, clock);
    const starts: number[] = [];
    for (const at of arrivals) setTimeout(() => void limiter.take().then(() => starts.push(clock())), at);
    await jest.advanceTimersByTimeAsync(horizonMs);
    return starts;
  }

  test('a burst: N start at once, the rest wait for the window to slide', async () => {
    const t0 = jest.now();
    const starts = await run(5, Array(12).fill(0), 5 * MINUTE);
    expect(starts).toHaveLength(12);
    expect(starts.filter((t) => t === t0)).toHaveLength(5);
    expect(starts.filter((t) => t < t0 + MINUTE)).toHaveLength(5);
    expect(starts.filter((t) => t < t0 + 2 * MINUTE)).toHaveLength(10);
    expect(maxInAnyMinute(starts)).toBeLessThanOrEqual(5);
    // It does not dawdle: the 6th starts right after the first minute has passed.
    expect(starts.sort((a, b) => a - b)[5]! - t0).toBeLessThanOrEqual(MINUTE + 10);
  });

  test('never more than N starts in any 60 s window under irregular arrivals', async () => {
    for (const seed of [1, 2, 3, 42, 2024]) {
      const r = rng(seed);
      const limit = 3 + Math.floor(r() * 8);
      const arrivals = Array.from({ length: 60 }, () => Math.floor(r() * 3 * MINUTE));
      const starts = await run(limit, arrivals, 30 * MINUTE);
      expect(starts).toHaveLength(arrivals.length); // nobody starves
      expect(maxInAnyMinute(starts)).toBeLessThanOrEqual(limit);
      expect(maxInAnyMinute(starts)).toBe(limit); // the budget is actually used
    }
  });

  test('spaced-out calls are never delayed', async () => {
    const t0 = jest.now();
    const arrivals = [0, 20_000, 40_000, 61_000, 81_000];
    const starts = await run(3, arrivals, 3 * MINUTE);
    expect(starts).toEqual(arrivals.map((a) => t0 + a));
  });

  test('reads time from the injected clock, not from Date.now', async () => {
    let fake = 0;
    const limiter = new MinuteRateLimiter(2, () => fake);
    await limiter.take();
    await limiter.take();
    let third = false;
    void limiter.take().then(() => (third = true));
    await jest.advanceTimersByTimeAsync(MINUTE + 5); // the wall clock moved, the injected one did not
    expect(third).toBe(false);
    fake = MINUTE + 1;
    await jest.advanceTimersByTimeAsync(MINUTE + 5);
    expect(third).toBe(true);
  });
});

describe('mapLimit', () => {
  test('never more than `limit` in flight, and actually reaches it', async () => {
    for (const [items, limit] of [
      [20, 3],
      [5, 10],
      [7, 1],
      [50, 8],
    ] as const) {
      let inFlight = 0;
      let peak = 0;
      const out = await mapLimit(
        Array.from({ length: items }, (_, i) => i),
        limit,
        async (x, index) => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          await new Promise((r) => setTimeout(r, (x * 7) % 5));
          inFlight--;
          return x * 2 + index;
        },
      );
      expect(peak).toBeLessThanOrEqual(limit);
      expect(peak).toBe(Math.min(limit, items));
      expect(out).toEqual(Array.from({ length: items }, (_, i) => i * 3)); // results in input order
    }
  });

  test('empty input resolves to []', async () => {
    const worker = jest.fn();
    await expect(mapLimit([], 4, worker)).resolves.toEqual([]);
    expect(worker).not.toHaveBeenCalled();
  });

  test('rejects with the first failure and starts no new work after it', async () => {
    const started: number[] = [];
    let inFlight = 0;
    const p = mapLimit(
      Array.from({ length: 20 }, (_, i) => i),
      2,
      async (x) => {
        started.push(x);
        inFlight++;
        try {
          await new Promise((r) => setTimeout(r, 1));
          if (x === 3) throw new Error('boom 3');
          return x;
        } finally {
          inFlight--;
        }
      },
    );
    await expect(p).rejects.toThrow('boom 3');
    // Nothing is running any more: a lane that kept going would still be in flight here, or would
    // have run through all 20 items by the time it stopped.
    await waitFor(() => inFlight === 0, 'no work in flight');
    expect(started.length).toBeLessThan(20);
    expect(Math.max(...started)).toBeLessThanOrEqual(3 + 2);
  });
});
